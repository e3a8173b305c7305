using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Synapses;
using SpikeSim.Tests.Support;
using Xunit;

namespace SpikeSim.Tests.Neurons;

/// <summary>CUBA-LIF, IF, LI and ALIF against closed-form solutions of their equations.</summary>
public sealed class ModelClosedFormTests
{
    private const double Dt = 0.1;

    [Theory]
    [InlineData(CubaLif.Excitatory, 5.0, 0.8f)]
    [InlineData(CubaLif.Inhibitory, 10.0, -0.6f)]
    [InlineData(CubaLif.Excitatory, 20.0, 0.5f)] // τ_syn = τ_mem: the limit form
    public void Cuba_response_to_one_event_equals_the_difference_of_exponentials(int channel, double tauSyn, float w)
    {
        var model = new CubaLif(TauMemMs: 20, TauSynExcMs: channel == CubaLif.Excitatory ? tauSyn : 5,
            TauSynInhMs: channel == CubaLif.Inhibitory ? tauSyn : 10, VLeak: 0, VThreshold: 100, VReset: 0);
        var network = new Network();
        var source = network.AddPopulation("in", 1, new SpikeTimeSource([(0, 1.0)]));
        var neuron = network.AddPopulation("cuba", 1, model);
        network.Connect(source, neuron, new OneToOneConnectivity([w]), channel);
        var (trace, _) = Probe.Run(network, neuron, CubaLif.V, 600, Dt);

        // The source fires in step 10; the event joins the current at the start of step 11.
        const int consumed = 11;
        for (var k = 0; k < 600; k++)
        {
            var t = (k + 1 - consumed) * Dt;
            double expected = t <= 0 ? 0
                : Math.Abs(tauSyn - 20) < 1e-12 ? w * t / 20 * Math.Exp(-t / 20)
                : w * tauSyn / (tauSyn - 20) * (Math.Exp(-t / tauSyn) - Math.Exp(-t / 20));
            Assert.True(Math.Abs(trace[k][0] - expected) <= 1e-5 * Math.Abs(w) + 1e-5 * Math.Abs(expected), $"step {k}: {trace[k][0]} vs {expected}");
        }
    }

    [Fact]
    public void Cuba_synaptic_current_decays_with_its_own_time_constant()
    {
        var constants = new CubaLif(TauSynExcMs: 5, TauSynInhMs: 10, VThreshold: 100).Discretize(Dt);
        var state = new CubaLifState(0, 0, 0, 0);
        CubaLif.Step(ref state, constants, inExc: 1f, inInh: -1f, current: 0);
        for (var k = 1; k < 100; k++) CubaLif.Step(ref state, constants, 0, 0, 0);
        Assert.Equal(Math.Exp(-100 * Dt / 5), state.ISynExc, 5);
        Assert.Equal(-Math.Exp(-100 * Dt / 10), state.ISynInh, 5);
    }

    [Fact]
    public void Cuba_refractory_holds_v_while_the_currents_go_on()
    {
        var constants = new CubaLif(VLeak: 0, VThreshold: 1, VReset: 0, RefractoryMs: 1).Discretize(Dt);
        var state = new CubaLifState(0.99f, 5f, 0, 0);
        Assert.True(CubaLif.Step(ref state, constants, 0, 0, 0));
        var current = state.ISynExc;
        for (var k = 0; k < 10; k++)
        {
            Assert.False(CubaLif.Step(ref state, constants, 0, 0, 0));
            Assert.Equal(0f, state.V);
        }
        Assert.True(state.ISynExc < current);
        Assert.Equal(0, state.Refractory);
    }

    [Fact]
    public void Integrate_and_fire_ramps_linearly_and_fires_on_crossing()
    {
        var model = new IntegrateAndFire(R: 1, VThreshold: 1, VReset: 0);
        var (network, population) = Probe.Single(model, 0.05f);
        var (trace, spikes) = Probe.Run(network, population, IntegrateAndFire.V, 150, Dt);
        for (var k = 0; k < 150; k++) Assert.Equal(0.005 * (k + 1), trace[k][0], 4);
        Assert.Equal(0, spikes.Total);
        var (_, longer) = Probe.Run(network, population, null, 2000, Dt);
        Assert.InRange(longer.Total, 9, 10); // v reaches 1 after ~200 steps: 2000 steps hold 9 or 10 crossings
    }

    [Fact]
    public void Leaky_integrator_relaxes_to_its_steady_state_and_never_fires()
    {
        var model = new LeakyIntegrator(TauMs: 15, R: 3, VLeak: -1);
        var (network, population) = Probe.Single(model, 2f);
        var (trace, spikes) = Probe.Run(network, population, LeakyIntegrator.V, 1000, Dt);
        for (var k = 0; k < 1000; k++)
        {
            var expected = 5 + (-1 - 5) * Math.Exp(-(k + 1) * Dt / 15);
            Assert.True(Math.Abs(trace[k][0] - expected) <= 1e-5 * Math.Abs(expected) + 1e-6, $"step {k}");
        }
        Assert.Equal(0, spikes.Total);
    }

    [Fact]
    public void Adaptive_lif_without_adaptation_is_a_lif()
    {
        var (lifNet, lifPop) = Probe.Single(new Lif(TauMs: 20, VThreshold: 1, RefractoryMs: 2), 1.5f);
        var (alifNet, alifPop) = Probe.Single(new AdaptiveLif(TauMs: 20, Beta: 0, VThreshold: 1, RefractoryMs: 2), 1.5f);
        var (lifTrace, lifSpikes) = Probe.Run(lifNet, lifPop, Lif.V, 3000, Dt);
        var (alifTrace, alifSpikes) = Probe.Run(alifNet, alifPop, AdaptiveLif.V, 3000, Dt);
        Assert.Equal(lifSpikes.SpikeSteps.ToArray(), alifSpikes.SpikeSteps.ToArray());
        Assert.Equal(lifTrace.Select(s => s[0]), alifTrace.Select(s => s[0]));
    }

    [Fact]
    public void Adaptation_is_the_sum_of_decaying_kernels_of_past_spikes_and_slows_firing()
    {
        const double tauAdapt = 100;
        var model = new AdaptiveLif(TauMs: 20, TauAdaptMs: tauAdapt, Beta: 0.3, VThreshold: 1);
        var (network, population) = Probe.Single(model, 1.5f);
        var (trace, spikes) = Probe.Run(network, population, AdaptiveLif.A, 5000, Dt);
        var steps = spikes.SpikeSteps.ToArray();
        Assert.True(steps.Length > 5);
        foreach (var k in new[] { 100, 1000, 2500, 4999 })
        {
            var expected = steps.Where(s => s <= k).Sum(s => Math.Exp(-(k - s) * Dt / tauAdapt));
            Assert.Equal(expected, trace[k][0], 3);
        }
        var isi = steps.Zip(steps.Skip(1), (a, b) => b - a).ToArray();
        Assert.True(isi[^1] > isi[0], "inter-spike intervals should lengthen as the threshold adapts");
    }

    /// <summary>
    /// The discrete-time current-based LIF (a <see cref="CubaLif"/> with <see cref="Integrator.DiscreteTime"/> and the reset to
    /// zero at the next step) under a constant input h: i[t] = h·(1 − αᵗ)/(1 − α); u follows
    /// u[t] = β·u[t−1]·(1 − s[t−1]) + c·i[t], spiking above θ and starting again from c·i after each spike.
    /// </summary>
    [Fact]
    public void Discrete_cuba_lif_integrates_its_current_in_closed_form_and_resets_to_zero()
    {
        const float h = 0.15f;
        var model = new CubaLif(TauMemMs: 10, TauSynExcMs: 5, TauSynInhMs: 5, R: 0.8, VLeak: 0, VThreshold: 1, VReset: 0, RefractoryMs: 0, ResetMode.ZeroAtNextStep, Integrator.DiscreteTime);
        var network = new Network();
        var input = new ExternalInput("x", 1);
        var neuron = network.AddPopulation("cuba", 1, model);
        network.Feed(new InputFeed(neuron, input, [1f]));
        using var simulation = new SpikeSim.Simulator.Engines.TimeStepSimulation(network, Probe.Host.Value, new SpikeSim.Simulator.Engines.TimeStepOptions(1.0));
        double alpha = Math.Exp(-1.0 / 5), beta = Math.Exp(-1.0 / 10), u = 0, spikes = 0;
        var s = 0.0;
        for (var t = 1; t <= 40; t++)
        {
            simulation.SetInput(input, [h]);
            simulation.RunSteps(1);
            var i = h * (1 - Math.Pow(alpha, t)) / (1 - alpha);
            u = beta * u * (1 - s) + 0.8 * i;
            Assert.Equal(i, simulation.Group(neuron).State(CubaLif.ISynExc).ToArray()[0], 5);
            Assert.Equal(u, simulation.Group(neuron).State(CubaLif.V).ToArray()[0], 4);
            s = u > 1 ? 1 : 0;
            spikes += s;
        }
        Assert.InRange(spikes, 3, 30);
    }

    /// <summary>
    /// The discrete-time ALIF of trainable layers, run by the engine as an <see cref="AdaptiveLif"/> with
    /// <see cref="Integrator.DiscreteTime"/> and a reset at the next step, against its equations written out in double:
    /// a[t] = ρ·a[t−1] + s[t−1], u[t] = β·u[t−1] + h[t] + I − θ·s[t−1] (or β·u[t−1]·(1 − s[t−1]) + h[t] + I), s[t] = H(u − θ − b·a).
    /// τ_mem below dt is allowed in discrete time (β = e^(−2)). The reset's and the adaptation's timing both show: a spike
    /// changes nothing in its own step.
    /// </summary>
    [Theory]
    [InlineData(ResetMode.SubtractAtNextStep, 8.0, 1.0)]
    [InlineData(ResetMode.ZeroAtNextStep, 0.5, 0.3)]
    public void A_discrete_time_alif_follows_its_equations(ResetMode reset, double tauMem, double theta)
    {
        const double b = 0.4, tauAdapt = 20, current = 0.05;
        var model = new AdaptiveLif(tauMem, tauAdapt, b, R: 1, VLeak: 0, theta, VReset: 0, RefractoryMs: 0, reset, Integrator.DiscreteTime);
        var network = new Network();
        var input = new ExternalInput("x", 1);
        var neuron = network.AddPopulation("alif", 1, model);
        network.Feed(new InputFeed(neuron, input, [1f]));
        network.Inject(SpikeSim.Simulator.Inputs.CurrentInput.Constant(neuron, (float)current));
        using var simulation = new SpikeSim.Simulator.Engines.TimeStepSimulation(network, Probe.Host.Value, new SpikeSim.Simulator.Engines.TimeStepOptions(1.0));
        double beta = Math.Exp(-1.0 / tauMem), rho = Math.Exp(-1.0 / tauAdapt), u = 0, a = 0, s = 0, spikes = 0;
        for (var t = 0; t < 60; t++)
        {
            var h = 0.3 + 0.25 * Math.Sin(t / 3.0);
            simulation.SetInput(input, [(float)h]);
            simulation.RunSteps(1);
            a = rho * a + s;
            u = reset == ResetMode.ZeroAtNextStep ? beta * u * (1 - s) + h + current : beta * u + h + current - theta * s;
            float uf = simulation.Group(neuron).State(AdaptiveLif.V).ToArray()[0], af = simulation.Group(neuron).State(AdaptiveLif.A).ToArray()[0];
            Assert.Equal(u, uf, 1e-5);
            Assert.Equal(a, af, 1e-5);
            // Each step starts from the engine's state, and the spike is its margin's sign in float, so no rounding near θ flips a spike.
            (u, a, s) = (uf, af, uf - (float)theta - (float)b * af > 0f ? 1 : 0);
            spikes += s;
        }
        Assert.InRange(spikes, 5, 40);
    }
}
