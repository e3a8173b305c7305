using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Tests.Support;
using Xunit;

namespace SpikeSim.Tests.Neurons;

/// <summary>The LIF model against the closed-form solution of its ODE and its analytic firing rate.</summary>
public sealed class LifClosedFormTests
{
    [Theory]
    [InlineData(0.1)]
    [InlineData(0.05)]
    public void Subthreshold_trajectory_equals_the_closed_form(double dt)
    {
        // State is float32: v near −65 mV has an ulp of 7.6e-6 mV, and each step's rounding of an
        // increment of ~0.01 mV adds up; at dt = 0.025 ms over 7 ms this reaches 1e-5 relative.
        // τ dv/dt = (v_leak − v) + R·I  ⇒  v(t) = v_leak + R·I + (v0 − v_leak − R·I)·e^(−t/τ)
        var model = new Lif(TauMs: 20, R: 2, VLeak: -65, VThreshold: -50, VReset: -65);
        const float current = 4.5f, v0 = -70f;
        var (network, population) = Probe.Single(model, current, v0: v0, v: Lif.V);
        var steps = (int)Math.Round(200 / dt);
        var (trace, spikes) = Probe.Run(network, population, Lif.V, steps, dt);
        Assert.Equal(0, spikes.Total);
        var vInf = model.VLeak + model.R * current;
        for (var k = 0; k < steps; k++)
        {
            var t = (k + 1) * dt;
            var expected = vInf + (v0 - vInf) * Math.Exp(-t / model.TauMs);
            Assert.True(Math.Abs(trace[k][0] - expected) <= 1e-5 * Math.Abs(expected), $"step {k}: {trace[k][0]} vs {expected}");
        }
    }

    [Fact]
    public void Forward_Euler_converges_to_the_closed_form_at_first_order()
    {
        double Error(double dt)
        {
            var model = new Lif(TauMs: 10, VLeak: 0, VThreshold: 10, Integrator: Integrator.ForwardEuler);
            var (network, population) = Probe.Single(model, 1f);
            var steps = (int)Math.Round(20 / dt);
            var (trace, _) = Probe.Run(network, population, Lif.V, steps, dt);
            return Math.Abs(trace[^1][0] - (1 - Math.Exp(-20.0 / 10)));
        }
        var coarse = Error(0.1);
        var fine = Error(0.01);
        Assert.True(coarse > 1e-4, "Euler should differ measurably from the exact solution at dt = 0.1");
        Assert.InRange(coarse / fine, 7, 13); // ten times smaller step, ten times smaller error
    }

    [Theory]
    [InlineData(1.5, 2.0, 0.1)]
    [InlineData(1.2, 0.0, 0.1)]
    [InlineData(3.0, 5.0, 0.1)]
    [InlineData(1.05, 1.0, 0.05)]
    public void Firing_rate_under_constant_current_equals_the_analytic_rate(double drive, double refractoryMs, double dt)
    {
        // rate = 1 / (t_ref + τ·ln((v_leak + R·I − v_reset) / (v_leak + R·I − θ)))
        var model = new Lif(TauMs: 20, R: 1, VLeak: 0, VThreshold: 1, VReset: 0, RefractoryMs: refractoryMs);
        var (network, population) = Probe.Single(model, (float)drive);
        const double seconds = 10;
        var (_, spikes) = Probe.Run(network, population, null, (int)Math.Round(seconds * 1000 / dt), dt);
        var analytic = 1000 / (refractoryMs + model.TauMs * Math.Log((drive - model.VReset) / (drive - model.VThreshold)));
        Assert.InRange(spikes.Total / seconds, analytic - 1, analytic + 1);
    }

    [Fact]
    public void Refractory_neuron_holds_its_reset_potential_for_round_t_ref_over_dt_steps()
    {
        var model = new Lif(TauMs: 20, VLeak: 0, VThreshold: 1, VReset: -0.5, RefractoryMs: 2.04);
        var (network, population) = Probe.Single(model, 5f);
        var (trace, spikes) = Probe.Run(network, population, Lif.V, 400, 0.1);
        var first = spikes.SpikeSteps[0];
        for (var k = first; k <= first + 20; k++) Assert.Equal(-0.5f, trace[k][0]);
        Assert.NotEqual(-0.5f, trace[first + 21][0]);
    }

    [Fact]
    public void Subtractive_reset_keeps_the_overshoot()
    {
        var constants = new Lif(VLeak: 0, VThreshold: 1, VReset: 0, Reset: ResetMode.Subtract).Discretize(0.1);
        var state = new LifState(0.9f, 0);
        Assert.True(Lif.Step(ref state, constants, input: 0.35f, current: 0));
        var integrated = 0.9 * Math.Exp(-0.1 / 20) + 0.35; // the default τ of 20 ms
        Assert.Equal(integrated - 1, state.V, 6);
    }

    [Fact]
    public void Greater_or_equal_fires_exactly_at_threshold_and_greater_does_not()
    {
        var state = new LifState(0f, 0);
        var strict = new Lif(TauMs: 1e30, VLeak: 0, VThreshold: 1, Integrator: Integrator.ForwardEuler).Discretize(0.1);
        Assert.False(Lif.Step(ref state, strict, input: 1f, current: 0));
        state = new LifState(0f, 0);
        var inclusive = new Lif(TauMs: 1e30, VLeak: 0, VThreshold: 1, Comparison: SpikeComparison.GreaterOrEqual, Integrator: Integrator.ForwardEuler).Discretize(0.1);
        Assert.True(Lif.Step(ref state, inclusive, input: 1f, current: 0));
    }

    [Theory]
    [InlineData(25.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void A_step_larger_than_tau_or_not_positive_is_refused_with_a_clear_message(double dt)
    {
        var error = Assert.Throws<InvalidParameterException>(() => new Lif(TauMs: 20).Discretize(dt));
        Assert.Contains("dt", error.Message);
    }
}
