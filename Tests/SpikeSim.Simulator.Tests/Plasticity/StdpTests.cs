using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Plasticity;
using SpikeSim.Simulator.Synapses;
using SpikeSim.Tests.Support;
using Xunit;

namespace SpikeSim.Tests.Plasticity;

/// <summary>Pair-based and three-factor STDP in the time-step engine, against their closed forms.</summary>
public sealed class StdpTests
{
    private const double Dt = 0.1;

    /// <summary>
    /// One plastic synapse of weight w0 from a source spiking at the given steps onto a LIF that a
    /// second source makes fire at the given steps. Returns the final weight.
    /// </summary>
    private static float Run(IPlasticityRule rule, int[] preSteps, int[] postSteps, float w0 = 0, int steps = 2000,
        Action<TimeStepSimulation>? during = null)
    {
        var network = new Network();
        var pre = network.AddPopulation("pre", 1, new SpikeTimeSource(preSteps.Select(s => (0, s * Dt)).ToList()));
        var drive = network.AddPopulation("drive", 1, new SpikeTimeSource(postSteps.Select(s => (0, (s - 1) * Dt)).ToList()));
        var post = network.AddPopulation("post", 1, new Lif(TauMs: 10, VThreshold: 1));
        network.Connect(drive, post, new OneToOneConnectivity([5f]));
        var plastic = network.Connect(pre, post, new SparseConnectivity(1, 1, [0, 1], [0], [w0]), plasticity: rule);
        using var simulation = new TimeStepSimulation(network, Probe.Host.Value, new TimeStepOptions(Dt));
        var spikes = simulation.Observe(new Simulator.Recording.SpikeRecorder(post));
        if (during is null) simulation.RunSteps(steps);
        else during(simulation);
        Assert.Equal(postSteps, spikes.SpikeSteps.ToArray());
        return simulation.Weights(plastic)[0];
    }

    private static readonly PairStdp Additive = new(APlus: 0.01, AMinus: 0.015, TauPlusMs: 16.8, TauMinusMs: 33.7, WMin: -1, WMax: 1);

    [Theory]
    [InlineData(100, 105)]
    [InlineData(100, 200)]
    [InlineData(100, 500)]
    [InlineData(300, 250)]
    [InlineData(300, 101)]
    [InlineData(300, 300)]
    public void The_STDP_window_is_A_plus_exp_minus_lag_over_tau_plus_and_minus_A_minus_exp_lag_over_tau_minus(int preStep, int postStep)
    {
        var w = Run(Additive, [preStep], [postStep]);
        var lag = (postStep - preStep) * Dt;
        var expected = lag > 0 ? Additive.APlus * Math.Exp(-lag / Additive.TauPlusMs)
            : lag < 0 ? -Additive.AMinus * Math.Exp(lag / Additive.TauMinusMs)
            : 0; // same-step spikes do not pair
        Assert.Equal(expected, w, 6);
    }

    [Fact]
    public void All_to_all_pairing_sums_earlier_spikes_and_nearest_pairing_takes_the_latest()
    {
        int[] pre = [100, 150];
        int[] post = [200];
        var allToAll = Run(Additive, pre, post);
        var nearest = Run(Additive with { Pairing = TracePairing.Nearest }, pre, post);
        Assert.Equal(0.01 * (Math.Exp(-10 / 16.8) + Math.Exp(-5 / 16.8)), allToAll, 6);
        Assert.Equal(0.01 * Math.Exp(-5 / 16.8), nearest, 6);
    }

    [Fact]
    public void Multiplicative_changes_scale_with_the_distance_to_the_bound()
    {
        var rule = Additive with { Dependence = WeightDependence.Multiplicative, WMin = 0, WMax = 2 };
        Assert.Equal(0.01 * (2 - 0.5) * Math.Exp(-1 / 16.8), Run(rule, [100], [110], w0: 0.5f) - 0.5, 6);
        Assert.Equal(-0.015 * (0.5 - 0) * Math.Exp(-1 / 33.7), Run(rule, [110], [100], w0: 0.5f) - 0.5, 6);
    }

    [Fact]
    public void Weights_stay_within_hard_bounds()
    {
        var rule = Additive with { APlus = 0.8, AMinus = 0.8, WMin = 0, WMax = 1 };
        Assert.Equal(1f, Run(rule, [100, 120, 140], [101, 121, 141], w0: 0.5f));
        Assert.Equal(0f, Run(rule, [101, 121, 141], [100, 120, 140], w0: 0.5f));
    }

    [Fact]
    public void Three_factor_weights_follow_reward_times_the_decaying_eligibility()
    {
        // A pair at lag 1 ms puts φ = A₊·e^(−1/τ₊) into c at step 110; a reward R released after step
        // 400 enters n at step 401. Then Δw = η·dt·Σ_k n_k·c_k = η·dt·R·φ·d_c^(401−110) / (1 − d_n·d_c).
        var dopamine = new Neuromodulator(TauNMs: 200);
        var rule = new ThreeFactorStdp(Additive, dopamine, TauCMs: 1000, LearningRate: 0.5);
        const double reward = 0.8;
        var w = Run(rule, [100], [110], during: simulation =>
        {
            simulation.RunSteps(401);
            Assert.Equal(0f, simulation.Weights(simulation.Network.Projections[^1])[0]); // no modulator, no change
            simulation.Release(dopamine, reward);
            simulation.RunSteps(30_000);
        }, steps: 0);
        var phi = 0.01 * Math.Exp(-1 / 16.8);
        double dC = Math.Exp(-Dt / 1000), dN = Math.Exp(-Dt / 200);
        var expected = 0.5 * Dt * reward * phi * Math.Pow(dC, 401 - 110) / (1 - dN * dC);
        // The weight sums 30 000 float32 increments of ~2e-5: rounding leaves about 1e-4 relative.
        Assert.True(Math.Abs(w - expected) < 1e-3 * expected, $"{w} vs {expected}");
        Assert.True(Math.Abs(w - 0.5 * reward * phi * Math.Exp(-29.1 / 1000) / (1 / 200.0 + 1 / 1000.0)) < 0.001 * w,
            "the discrete sum approximates the integral η·R·φ·e^(−Δ/τ_c)·τ_n·τ_c/(τ_n + τ_c)");
    }

    [Fact]
    public void The_neuromodulator_decays_with_tau_n_and_counts_its_source_spikes()
    {
        var network = new Network();
        var modulatory = network.AddPopulation("da", 3, new SpikeTimeSource([(0, 1.0), (1, 1.0), (2, 1.0)]));
        var post = network.AddPopulation("post", 1, new Lif());
        var dopamine = new Neuromodulator(TauNMs: 50, Source: modulatory, PerSpike: 0.25);
        network.Connect(modulatory, post, new SparseConnectivity(3, 1, [0, 1, 2, 3], [0, 0, 0], [0f, 0f, 0f]),
            plasticity: new ThreeFactorStdp(Additive, dopamine));
        using var simulation = new TimeStepSimulation(network, Probe.Host.Value, new TimeStepOptions(Dt));
        simulation.RunSteps(11);
        Assert.Equal(0.75, simulation.ModulatorLevel(dopamine), 9);
        simulation.RunSteps(500);
        Assert.Equal(0.75 * Math.Exp(-50.0 / 50), simulation.ModulatorLevel(dopamine), 9);
    }

    [Fact]
    public void Plasticity_on_a_dense_projection_is_refused_with_a_clear_message()
    {
        var network = new Network();
        var a = network.AddPopulation("a", 2, new Lif());
        var error = Assert.Throws<InvalidParameterException>(() => network.Connect(a, a, new DenseConnectivity(2, 2, new float[4]), plasticity: Additive));
        Assert.Contains("sparse", error.Message);
    }

    /// <summary>The same single-synapse scenario in the event engine: spikes at exact times, weights in double.</summary>
    private static double RunEvent(IPlasticityRule rule, int[] preSteps, int[] postSteps, float w0 = 0, Action<EventSimulation>? during = null)
    {
        var network = new Network();
        var pre = network.AddPopulation("pre", 1, new SpikeTimeSource(preSteps.Select(s => (0, s * Dt)).ToList()));
        var drive = network.AddPopulation("drive", 1, new SpikeTimeSource(postSteps.Select(s => (0, (s - 1) * Dt)).ToList()));
        var post = network.AddPopulation("post", 1, new Lif(TauMs: 10, VThreshold: 1));
        network.Connect(drive, post, new OneToOneConnectivity([5f]), delayMs: Dt);
        var plastic = network.Connect(pre, post, new SparseConnectivity(1, 1, [0, 1], [0], [w0]), plasticity: rule);
        var simulation = new EventSimulation(network, new EventOptions());
        if (during is null) simulation.Run(postSteps.Concat(preSteps).Max() * Dt + 50);
        else during(simulation);
        return simulation.Weights(plastic)[0];
    }

    [Theory]
    [InlineData(100, 105)]
    [InlineData(100, 500)]
    [InlineData(300, 250)]
    public void The_event_engine_pairs_exactly_and_agrees_with_the_step_engine(int preStep, int postStep)
    {
        var exact = RunEvent(Additive, [preStep], [postStep]);
        var lag = (postStep - preStep) * Dt;
        var expected = lag > 0 ? Additive.APlus * Math.Exp(-lag / Additive.TauPlusMs)
            : lag < 0 ? -Additive.AMinus * Math.Exp(lag / Additive.TauMinusMs) : 0;
        Assert.Equal(expected, exact, 6); // float32 weights
        Assert.Equal(Run(Additive, [preStep], [postStep]), exact, 6);
    }

    [Fact]
    public void The_event_engine_integrates_the_three_factor_rule_exactly_and_near_the_step_engine()
    {
        // Pair at lag 1 ms (pre 10 ms, post 11 ms): c = φ; dopamine R at 40.1 ms. Exactly:
        // Δw = η·R·φ·e^(−(40.1 − 11)/τ_c)·τ′ with 1/τ′ = 1/τ_n + 1/τ_c.
        var dopamine = new Neuromodulator(TauNMs: 200);
        var rule = new ThreeFactorStdp(Additive, dopamine, TauCMs: 1000, LearningRate: 0.5);
        const double reward = 0.8;
        var exact = RunEvent(rule, [100], [110], during: simulation =>
        {
            simulation.Run(40.1);
            simulation.Release(dopamine, reward);
            simulation.Run(3000);
        });
        var phi = 0.01 * Math.Exp(-1 / 16.8);
        var tauPrime = 1 / (1 / 200.0 + 1 / 1000.0);
        var expected = 0.5 * reward * phi * Math.Exp(-(40.1 - 11) / 1000) * tauPrime * -double.ExpM1(-(3040.1 - 40.1) / tauPrime);
        Assert.Equal(expected, exact, 7);
        var stepped = Run(rule, [100], [110], during: simulation =>
        {
            simulation.RunSteps(401);
            simulation.Release(dopamine, reward);
            simulation.RunSteps(30_000);
        }, steps: 0);
        Assert.True(Math.Abs(stepped - exact) < 0.002 * exact, $"step {stepped} vs event {exact}");
    }

    [Theory]
    [InlineData(TracePairing.AllToAll, WeightDependence.Additive)]
    [InlineData(TracePairing.Nearest, WeightDependence.Multiplicative)]
    public void Lazy_event_updates_equal_the_time_step_updates_on_many_spikes(TracePairing pairing, WeightDependence dependence)
    {
        // 6 sources and 4 driven targets, spikes on the grid (sources on odd steps, targets on even ones, so no
        // pair is simultaneous), all 24 synapses plastic: weights after 300 ms must agree between the engines.
        var rule = Additive with { Pairing = pairing, Dependence = dependence, WMin = 0, WMax = 1 };
        var rng = new SpikeSim.Simulator.Random.Xoshiro256(4);
        var preSpikes = Enumerable.Range(0, 6).SelectMany(i => Enumerable.Range(0, 8).Select(_ => (i, (2 * rng.NextInt(1400) + 1) * Dt))).Distinct().ToList();
        var postSteps = Enumerable.Range(0, 4).SelectMany(j => Enumerable.Range(0, 8).Select(_ => (j, 2 * rng.NextInt(1400) + 100))).Distinct().ToList();
        Network Build(out Projection plastic)
        {
            var network = new Network();
            var pre = network.AddPopulation("pre", 6, new SpikeTimeSource(preSpikes));
            var drive = network.AddPopulation("drive", 4, new SpikeTimeSource(postSteps.Select(p => (p.Item1, (p.Item2 - 1) * Dt)).ToList()));
            var post = network.AddPopulation("post", 4, new Lif(TauMs: 10, VThreshold: 1, RefractoryMs: 0));
            network.Connect(drive, post, new OneToOneConnectivity([5f, 5f, 5f, 5f]), delayMs: Dt);
            plastic = network.Connect(pre, post, new SparseConnectivity(6, 4, Enumerable.Range(0, 7).Select(i => 4 * i).ToArray(),
                Enumerable.Range(0, 24).Select(k => k % 4).ToArray(), Enumerable.Repeat(0f, 24).ToArray()), plasticity: rule);
            return network;
        }
        var stepNetwork = Build(out var stepPlastic);
        using var stepped = new TimeStepSimulation(stepNetwork, Probe.Host.Value, new TimeStepOptions(Dt));
        stepped.RunSteps(3000);
        var eventNetwork = Build(out var eventPlastic);
        var exact = new EventSimulation(eventNetwork, new EventOptions());
        exact.Run(300);
        var a = stepped.Weights(stepPlastic);
        var b = exact.Weights(eventPlastic);
        Assert.Contains(a, w => w > 0.001);
        for (var s = 0; s < a.Length; s++) Assert.True(Math.Abs(a[s] - b[s]) < 2e-5, $"synapse {s}: step {a[s]} vs event {b[s]}");
    }

    /// <summary>A rule with no engine form: it must be refused, never run as pair STDP.</summary>
    private sealed record HalfStdp(PairStdp Pairing) : IPlasticityRule;

    /// <summary>A rule with a time-step form only (pair STDP's hooks under another name).</summary>
    private sealed record StepOnlyStdp(PairStdp Pairing) : ITimeStepRule<PairStdpConstants>
    {
        public PairStdpConstants Discretize(double dtMs) => Pairing.Discretize(dtMs);
    }

    [Fact]
    public void A_rule_runs_in_the_engines_whose_form_it_has_and_the_other_refuses_it_by_name()
    {
        Assert.Equal(Run(Additive, [100], [150]), Run(new StepOnlyStdp(Additive), [100], [150]));
        var network = new Network();
        var pre = network.AddPopulation("pre", 1, new Lif());
        var post = network.AddPopulation("post", 1, new Lif());
        network.Connect(pre, post, new SparseConnectivity(1, 1, [0, 1], [0], [0f]), plasticity: new StepOnlyStdp(Additive));
        Assert.Contains("event engine cannot run the learning rule StepOnlyStdp: it has no event-driven form", Assert.Throws<InvalidParameterException>(() =>
            new EventSimulation(network, new EventOptions(1))).Message);
    }

    [Fact]
    public void A_rule_the_engines_do_not_know_is_refused_by_name_in_both_engines()
    {
        var network = new Network();
        var pre = network.AddPopulation("pre", 4, new Lif());
        var post = network.AddPopulation("post", 4, new Lif());
        var rng = new SpikeSim.Simulator.Random.Xoshiro256(1);
        network.Connect(pre, post, Connect.FixedProbability(4, 4, 1.0, Connect.Constant(0.1f), rng), delayMs: 1, plasticity: new HalfStdp(new PairStdp()));
        Assert.Contains("cannot run the learning rule HalfStdp", Assert.Throws<InvalidParameterException>(() =>
            new TimeStepSimulation(network, Probe.Host.Value, new TimeStepOptions(0.1))).Message);
        Assert.Contains("event engine cannot run the learning rule HalfStdp", Assert.Throws<InvalidParameterException>(() =>
            new EventSimulation(network, new EventOptions(1))).Message);
    }
}
