using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Inputs;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Plasticity;
using SpikeSim.Simulator.Recording;
using SpikeSim.Simulator.Synapses;
using SpikeSim.Tests.Support;
using Xunit;

namespace SpikeSim.Tests.Plasticity;

/// <summary>
/// The decomposed rule (Wang et al. 2022) in the time-step engine, against its equations written out plainly here from
/// the recorded spikes: per step the traces take this step's spikes, m = sigmoid(b_m + Σ w^m_i·y_i), and every synapse
/// E ← E + (dt/T)·ΔW, w ← clip(w + η·dt·m·E), E ← E·e^(−dt/τ_c).
/// </summary>
public sealed class DecomposedStdpTests
{
    private const double Dt = 0.5;
    private const int Steps = 400;

    private static readonly DecomposedRuleValues Coefficients = new(
        APost: [0.8f, -0.5f, 0.3f, 1.1f], APre: [0.9f, -0.7f, 0.4f],
        BPost: [0.1f, 0.2f, -0.3f, 0.05f], BPre: [0.5f, 0.25f, -0.4f],
        CPost: [-0.2f, 0.6f, 0.1f, 0.3f], CPre: [0.3f, -0.1f, 0.2f],
        DPost: [0.01f, -0.02f, 0.03f, 0.0f], DPre: [0.5f, 1f, -0.5f],
        ModulationWeight: [0.7f, -0.4f, 0.2f, 0.9f], ModulationBias: -0.3f);

    private static readonly DecomposedStdp Rule = new(Coefficients, UpdateIntervalMs: 2, TauCMs: 10, LearningRate: 0.05, WMin: -1, WMax: 1.5,
        PreTauMs: 8, PostTauMs: 4);

    /// <summary>Three Poisson sources onto four LIF neurons, all twelve synapses plastic (rows of consecutive targets) or a sparse subset.</summary>
    private static (Network Network, Population Pre, Population Post, Projection Plastic, SparseConnectivity Synapses) Build(bool dense)
    {
        var network = new Network();
        var pre = network.AddPopulation("pre", 3, new PoissonSource(80));
        var post = network.AddPopulation("post", 4, new Lif(TauMs: 10, VThreshold: 1));
        network.Inject(new PoissonInput(post, 2000, 0.12f));
        var synapses = dense
            ? new SparseConnectivity(3, 4, [0, 4, 8, 12], [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3], [.. Enumerable.Repeat(0.2f, 12)])
            : new SparseConnectivity(3, 4, [0, 2, 3, 5], [3, 1, 2, 0, 2], [.. Enumerable.Repeat(0.2f, 5)]);
        var plastic = network.Connect(pre, post, synapses, delayMs: Dt, plasticity: Rule);
        return (network, pre, post, plastic, synapses);
    }

    /// <summary>The weights the equations give for the recorded spikes, in double.</summary>
    private static double[] Expected(SparseConnectivity c, SpikeRecorder pre, SpikeRecorder post)
    {
        double[] x = new double[c.Sources], y = new double[c.Targets], w = [.. c.Weights.Select(v => (double)v)], e = new double[w.Length];
        var spikesAt = (SpikeRecorder r) => r.SpikeSteps.ToArray().Zip(r.Neurons.ToArray()).ToLookup(s => s.First, s => s.Second);
        var (preAt, postAt) = (spikesAt(pre), spikesAt(post));
        var v = Coefficients;
        for (var t = 0; t < Steps; t++)
        {
            for (var j = 0; j < x.Length; j++) x[j] *= Math.Exp(-Dt / Rule.PreTauMs);
            for (var i = 0; i < y.Length; i++) y[i] *= Math.Exp(-Dt / Rule.PostTauMs);
            foreach (var j in preAt[t]) x[j] += 1;
            foreach (var i in postAt[t]) y[i] += 1;
            var m = 1 / (1 + Math.Exp(-(v.ModulationBias + Enumerable.Range(0, y.Length).Sum(i => (double)v.ModulationWeight[i] * y[i]))));
            for (var j = 0; j < c.Sources; j++)
                for (var s = c.RowStart[j]; s < c.RowStart[j + 1]; s++)
                {
                    var i = c.TargetIndex[s];
                    var change = (double)v.APost[i] * v.APre[j] * y[i] * x[j] + (double)v.BPost[i] * v.BPre[j] * y[i]
                                 + (double)v.CPost[i] * v.CPre[j] * x[j] + (double)v.DPost[i] * v.DPre[j];
                    e[s] += Dt / Rule.UpdateIntervalMs * change;
                    w[s] = Math.Clamp(w[s] + Rule.LearningRate * Dt * m * e[s], Rule.WMin, Rule.WMax);
                    e[s] *= Math.Exp(-Dt / Rule.TauCMs);
                }
        }
        return w;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Weights_follow_the_decomposed_equations_of_the_recorded_spikes(bool dense)
    {
        var (network, pre, post, plastic, synapses) = Build(dense);
        using var simulation = new TimeStepSimulation(network, Probe.Host.Value, new TimeStepOptions(Dt, Seed: 3));
        var (preSpikes, postSpikes) = (simulation.Observe(new SpikeRecorder(pre)), simulation.Observe(new SpikeRecorder(post)));
        simulation.RunSteps(Steps);
        Assert.True(preSpikes.Count > 20 && postSpikes.Count > 20, $"{preSpikes.Count} pre and {postSpikes.Count} post spikes");
        var expected = Expected(synapses, preSpikes, postSpikes);
        var weights = simulation.Weights(plastic);
        Assert.Contains(weights, w => Math.Abs(w - 0.2f) > 0.05);
        for (var s = 0; s < weights.Length; s++)
            Assert.True(Math.Abs(weights[s] - expected[s]) < 1e-4, $"synapse {s}: engine {weights[s]}, equations {expected[s]}");
    }

    [Fact]
    public void The_host_launcher_and_ilgpu_give_the_same_weights_bit_for_bit()
    {
        float[] Weights(IComputeBackend backend)
        {
            var (network, _, _, plastic, _) = Build(dense: true);
            using var simulation = new TimeStepSimulation(network, backend, new TimeStepOptions(Dt, Seed: 3));
            simulation.RunSteps(Steps);
            return simulation.Weights(plastic);
        }
        using var emulator = IlgpuBackend.TryCreate(DeviceKind.IlgpuCpuEmulator)!;
        Assert.Equal(Weights(Probe.Host.Value), Weights(emulator));
    }

    [Fact]
    public void At_dt_equal_to_the_update_interval_one_step_is_one_update_of_the_rule()
    {
        // One synapse, E = 0: after one step E = ΔW and w = w0 + η·T·m·ΔW, with x = y = 0 (no spikes): ΔW = D = d_post·d_pre.
        var c = Rule.Discretize(Rule.UpdateIntervalMs);
        Assert.Equal(1f, c.Gain);
        float w = 0.2f, e = 0;
        var change = DecomposedStdp.Change(1, 1, 1, 1, 1, 1, 0.5f, 0.5f, 0, 0);
        DecomposedStdp.Step(ref w, ref e, change, modulation: 0.5f, c);
        Assert.Equal(0.2 + 0.05 * 2 * 0.5 * 0.25, w, 6);
        Assert.Equal(0.25 * Math.Exp(-2.0 / 10), e, 6);
    }

    [Fact]
    public void The_vectorised_row_gives_what_the_synapse_step_gives()
    {
        // 37 consecutive targets: whole vectors and a tail, against Step synapse by synapse.
        const int n = 37;
        var rng = new SpikeSim.Simulator.Random.Xoshiro256(5);
        float[] Draw() => [.. Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1))];
        var (a, b, cc, d, y, w0, e0) = (Draw(), Draw(), Draw(), Draw(), Draw(), Draw(), Draw());
        var constants = Rule.Discretize(Dt);
        var pre = new DecomposedPreSide(0.3f, -0.6f, 0.8f, 0.1f, 1.7f);
        var (w, e) = (w0.ToArray(), e0.ToArray());
        DecomposedStdp.StepRow(constants, new DecomposedPostSide(a, b, cc, d, y), pre, 0.6f, w, e);
        for (var k = 0; k < n; k++)
        {
            float wk = w0[k], ek = e0[k];
            DecomposedStdp.Step(ref wk, ref ek, DecomposedStdp.Change(a[k], pre.A, b[k], pre.B, cc[k], pre.C, d[k], pre.D, y[k], pre.Trace), 0.6f, constants);
            Assert.Equal(wk, w[k]);
            Assert.Equal(ek, e[k]);
        }
    }

    [Fact]
    public void The_event_engine_refuses_it_and_wrong_shapes_are_refused_by_name()
    {
        var (network, _, _, _, _) = Build(dense: true);
        Assert.Contains("event engine cannot run the learning rule DecomposedStdp", Assert.Throws<InvalidParameterException>(() =>
            new EventSimulation(network, new EventOptions(1))).Message);

        var wrong = new Network();
        var pre = wrong.AddPopulation("pre", 2, new PoissonSource(10));
        var post = wrong.AddPopulation("post", 4, new Lif());
        wrong.Connect(pre, post, new SparseConnectivity(2, 4, [0, 1, 2], [0, 1], [0f, 0f]), delayMs: Dt, plasticity: Rule);
        Assert.Contains("coefficients for 3 sources and 4 targets; its projection has 2 and 4", Assert.Throws<InvalidParameterException>(() =>
            new TimeStepSimulation(wrong, Probe.Host.Value, new TimeStepOptions(Dt))).Message);
        Assert.Contains("b_pre has 2 values; its a_pre has 3", Assert.Throws<InvalidParameterException>(() =>
            (Rule with { Coefficients = Coefficients with { BPre = [1f, 2f] } }).Validate()).Message);
        Assert.Contains("tau_c", Assert.Throws<InvalidParameterException>(() => (Rule with { TauCMs = 0 }).Discretize(Dt)).Message);
    }
}
