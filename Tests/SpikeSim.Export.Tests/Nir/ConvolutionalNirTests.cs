using SpikeSim.Export.Nir;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Recording;
using Xunit;

namespace SpikeSim.Tests.Export.Nir;

/// <summary>
/// Convolutional NIR graphs as other frameworks lay them out — channels-first images, Conv2d with [C_out, C_in, k, k]
/// weights and pair-valued stride, padding and dilation, SumPool2d or AvgPool2d, neuron fields shaped like the image,
/// Flatten in PyTorch's order before the Affine — run by SpikeSim's simulator. Sum and average pooling are linear, so a
/// convolution and its pooling are one matrix: the same graph written with that matrix as an Affine (a chain SpikeSim's
/// dense reader already runs with each framework's semantics) must give the same readout, step by step.
/// </summary>
public sealed class ConvolutionalNirTests
{
    private const int Side = 6, Out = 2, K = 3, Pool = 2;

    private static readonly float[] Weight = Values(Out * K * K, 1.1, 3);
    private static readonly float[] Bias = Values(Out, 0.3, 4);
    private static readonly float[] Readout = Values(3 * Out * 3 * 3, 0.8, 5);

    private static float[] Values(int n, double scale, int seed)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() - 0.35) * scale))];
    }

    private static NirArray Fill(int n, float v, params int[] shape) => NirArray.F32(Enumerable.Repeat(v, n).ToArray(), shape);

    private static NirNode Lif(int n, params int[] shape)
        => NirNode.Of("LIF", ("tau", Fill(n, 2e-3f, shape)), ("r", Fill(n, 20f, shape)), ("v_leak", Fill(n, 0, shape)), ("v_threshold", Fill(n, 1, shape)), ("v_reset", Fill(n, 0, shape)));

    /// <summary>Input [1, 6, 6] → Conv2d(2, 3×3, padding 1) → pooling 2×2 → LIF [2, 3, 3] → Flatten → Affine(3) → LI → Output.</summary>
    private static NirGraph Convolutional(string pool)
    {
        var graph = new NirGraph();
        graph.Nodes.Add(("input", NirNode.Of("Input", ("shape", NirArray.I64(1, Side, Side)))));
        graph.Nodes.Add(("0", NirNode.Of("Conv2d", ("weight", NirArray.F32(Weight, Out, 1, K, K)), ("bias", NirArray.F32(Bias)), ("stride", NirArray.I64(1, 1)),
            ("padding", NirArray.I64(1, 1)), ("dilation", NirArray.I64(1, 1)), ("groups", NirArray.I64(1)), ("input_shape", NirArray.I64(Side, Side)))));
        graph.Nodes.Add(("1", NirNode.Of(pool, ("kernel_size", NirArray.I64(Pool, Pool)), ("stride", NirArray.I64(Pool, Pool)), ("padding", NirArray.I64(0, 0)))));
        graph.Nodes.Add(("2", Lif(Out * 9, Out, 3, 3)));
        graph.Nodes.Add(("3", NirNode.Of("Flatten", ("start_dim", NirArray.I64(0)), ("end_dim", NirArray.I64(-1)))));
        return Readout3(graph, "3");
    }

    /// <summary>The same network with the convolution and its pooling unrolled into one Affine [18, 36] (channels-first rows).</summary>
    private static NirGraph Unrolled(string pool)
    {
        var m = new float[Out * 9 * Side * Side];
        var b = new float[Out * 9];
        var norm = pool == "AvgPool2d" ? 1.0 / (Pool * Pool) : 1.0;
        for (var c = 0; c < Out; c++)
            for (var py = 0; py < 3; py++)
                for (var px = 0; px < 3; px++)
                {
                    var row = c * 9 + py * 3 + px;
                    b[row] = (float)(Bias[c] * Pool * Pool * norm);
                    for (var wy = 0; wy < Pool; wy++)
                        for (var wx = 0; wx < Pool; wx++)
                            for (var ky = 0; ky < K; ky++)
                                for (var kx = 0; kx < K; kx++)
                                {
                                    int iy = py * Pool + wy - 1 + ky, ix = px * Pool + wx - 1 + kx;
                                    if (iy is >= 0 and < Side && ix is >= 0 and < Side)
                                        m[row * Side * Side + iy * Side + ix] += (float)(Weight[(c * K + ky) * K + kx] * norm);
                                }
                }
        var graph = new NirGraph();
        graph.Nodes.Add(("input", NirNode.Of("Input", ("shape", NirArray.I64(Side * Side)))));
        graph.Nodes.Add(("0", NirNode.Of("Affine", ("weight", NirArray.F32(m, Out * 9, Side * Side)), ("bias", NirArray.F32(b)))));
        graph.Nodes.Add(("2", Lif(Out * 9)));
        return Readout3(graph, "2");
    }

    private static NirGraph Readout3(NirGraph graph, string last)
    {
        graph.Nodes.Add(("4", NirNode.Of("Affine", ("weight", NirArray.F32(Readout, 3, Out * 9)), ("bias", NirArray.F32(new float[3])))));
        graph.Nodes.Add(("5", NirNode.Of("LI", ("tau", Fill(3, 4e-3f)), ("r", Fill(3, 40f)), ("v_leak", Fill(3, 0)))));
        graph.Nodes.Add(("output", NirNode.Of("Output", ("shape", NirArray.I64(3)))));
        var names = graph.Nodes.Select(n => n.Name).ToList();
        for (var i = 0; i + 1 < names.Count; i++) graph.Edges.Add((names[i], names[i + 1]));
        return graph;
    }

    private sealed class Trace : IRecordingSink
    {
        public List<float[]> Steps { get; } = [];

        public long Spikes { get; private set; }

        void IRecordingSink.Spikes(int recording, ReadOnlySpan<int> neurons, ReadOnlySpan<double> timesMs) => Spikes += neurons.Length;

        public void State(int recording, double timeMs, ReadOnlySpan<float> values) => Steps.Add(values.ToArray());
    }

    /// <summary>The readout of each of 10 steps and the hidden spikes, for a fixed random 6×6 input, read with <paramref name="reader"/>.</summary>
    private static (List<float[]> Readout, long HiddenSpikes, string Chain) Run(NirGraph graph, NirDialect reader)
    {
        var dir = Directory.CreateTempSubdirectory("spikesim-conv-nir-").FullName;
        try
        {
            var path = Path.Combine(dir, "g.nir");
            NirFile.Write(graph, path);
            var chain = NirChain.Read(NirFile.Read(path), reader);
            var simulated = chain.ToSimulatedClassifier();
            using var backend = new HostBackend();
            using var simulation = new TimeStepSimulation(simulated.Network, backend, new TimeStepOptions(simulated.DtMs));
            var (readout, hidden) = (new Trace(), new Trace());
            simulation.Record([new StateRecording(simulated.Output, DiscreteLeakyIntegrator.Y, [0, 1, 2], simulated.DtMs)], readout);
            simulation.Record([new SpikeRecording(simulated.Network.Populations[0])], hidden);
            var x = Values(Side * Side, 2.0, 9);
            for (var t = 0; t < 10; t++)
            {
                simulation.SetInput(simulated.Input, x);
                simulation.Run(1);
            }
            return (readout.Steps, hidden.Spikes, chain.ToString());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("SumPool2d", "snntorch")]
    [InlineData("AvgPool2d", "snntorch")]
    [InlineData("AvgPool2d", "generic")]
    [InlineData("SumPool2d", "norse")]
    public void A_convolution_and_its_pooling_run_as_the_matrix_they_are(string pool, string dialect)
    {
        var reader = NirDialect.Named(dialect);
        var (convolutional, spikes, chain) = Run(Convolutional(pool), reader);
        var (dense, denseSpikes, _) = Run(Unrolled(pool), reader);
        Assert.StartsWith($"1×6×6-2C3P1-{(pool == "SumPool2d" ? "SP" : "AP")}2-3", chain);
        Assert.True(spikes > 5, $"only {spikes} hidden spikes");
        Assert.Equal(denseSpikes, spikes);
        for (var t = 0; t < convolutional.Count; t++)
            for (var c = 0; c < 3; c++)
                Assert.True(Math.Abs(convolutional[t][c] - dense[t][c]) <= 1e-4 * Math.Max(1, Math.Abs(dense[t][c])),
                    $"step {t + 1}, class {c}: convolution {convolutional[t][c]}, its matrix {dense[t][c]}");
    }

    [Theory]
    [InlineData("dilation", 2, "dilation or groups other than 1")]
    [InlineData("groups", 2, "dilation or groups other than 1")]
    [InlineData("channels", 2, "one channel of H × W")]
    public void What_the_simulator_cannot_run_is_refused_naming_the_node(string change, int value, string message)
    {
        var graph = Convolutional("SumPool2d");
        var conv = graph.Nodes.Single(n => n.Name == "0").Node;
        switch (change)
        {
            case "channels":
                graph.Nodes[0] = ("input", NirNode.Of("Input", ("shape", NirArray.I64(value, Side, Side))));
                break;
            default:
                conv.Fields[change] = change == "groups" ? NirArray.I64(value) : NirArray.I64(value, value);
                break;
        }
        var error = Assert.Throws<SpikeSimException>(() => NirChain.Read(graph, NirDialect.Generic));
        Assert.Contains(message, error.Message);
        Assert.Contains(change == "channels" ? "'input'" : "'0'", error.Message);
    }
}

/// <summary>NIR's I node (dv/dt = r·I: no leak, no spikes) as a classifier's readout: y[t] = y[t−1] + r·(W·s[t] + b).</summary>
public sealed class IntegratorNirTests
{
    private sealed class Sink : IRecordingSink
    {
        public List<float[]> States { get; } = [];

        public List<(int Neuron, double TimeMs)> Fired { get; } = [];

        public void Spikes(int recording, ReadOnlySpan<int> neurons, ReadOnlySpan<double> timesMs)
        {
            for (var k = 0; k < neurons.Length; k++) Fired.Add((neurons[k], timesMs[k]));
        }

        public void State(int recording, double timeMs, ReadOnlySpan<float> values) => States.Add(values.ToArray());
    }

    private static NirGraph Chain(float r)
    {
        var rng = new Random(3);
        float[] Values(int n, double scale) => [.. Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() - 0.3) * scale))];
        NirArray Fill(int n, float v) => NirArray.F32(Enumerable.Repeat(v, n).ToArray());
        var graph = new NirGraph();
        graph.Nodes.Add(("input", NirNode.Of("Input", ("shape", NirArray.I64(4)))));
        graph.Nodes.Add(("0", NirNode.Of("Affine", ("weight", NirArray.F32(Values(20, 2.0), 5, 4)), ("bias", NirArray.F32(Values(5, 0.5))))));
        graph.Nodes.Add(("1", NirNode.Of("LIF", ("tau", Fill(5, 0.01f)), ("r", Fill(5, 10f)), ("v_leak", Fill(5, 0)), ("v_threshold", Fill(5, 1)), ("v_reset", Fill(5, 0)))));
        graph.Nodes.Add(("2", NirNode.Of("Affine", ("weight", NirArray.F32(Values(10, 1.0), 2, 5)), ("bias", NirArray.F32(Values(2, 0.2))))));
        graph.Nodes.Add(("3", NirNode.Of("I", ("r", Fill(2, r)))));
        graph.Nodes.Add(("output", NirNode.Of("Output", ("shape", NirArray.I64(2)))));
        foreach (var (a, b) in new[] { ("input", "0"), ("0", "1"), ("1", "2"), ("2", "3"), ("3", "output") }) graph.Edges.Add((a, b));
        graph.Metadata["dt"] = "0.001";
        return graph;
    }

    [Fact]
    public void An_I_readout_integrates_its_input_without_leak()
    {
        const float r = 0.5f;
        var graph = Chain(r);
        var chain = NirChain.Read(graph, NirDialect.Generic);
        Assert.EndsWith("I readout", chain.ToString());
        var simulated = chain.ToSimulatedClassifier();
        using var backend = new HostBackend();
        using var simulation = new TimeStepSimulation(simulated.Network, backend, new TimeStepOptions(simulated.DtMs));
        var sink = new Sink();
        var hidden = simulated.Network.Populations.Single(p => p.Name == "hidden_0");
        simulation.Record([new SpikeRecording(hidden), new StateRecording(simulated.Output, DiscreteLeakyIntegrator.Y, [0, 1], simulated.DtMs)], sink);
        const int steps = 12;
        for (var t = 0; t < steps; t++)
        {
            simulation.SetInput(simulated.Input, [1f, 0.5f, 2f, 1.5f]);
            simulation.Run(1);
        }
        Assert.True(sink.Fired.Count > 3, $"{sink.Fired.Count} hidden spikes");
        var (w, b) = (graph["2"].Fields["weight"].Floats!, graph["2"].Fields["bias"].Floats!);
        double[] y = [0, 0];
        for (var t = 0; t < steps; t++)
        {
            var s = new double[5];
            foreach (var (neuron, time) in sink.Fired) if (Math.Abs(time - t * simulated.DtMs) < 1e-9) s[neuron] = 1;
            for (var c = 0; c < 2; c++)
            {
                y[c] += r * (Enumerable.Range(0, 5).Sum(j => w[c * 5 + j] * s[j]) + b[c]);
                Assert.True(Math.Abs(sink.States[t][c] - y[c]) < 1e-5 * Math.Max(1, Math.Abs(y[c])), $"step {t + 1}, class {c}: SpikeSim {sink.States[t][c]}, closed form {y[c]}");
            }
        }
    }

    [Theory]
    [InlineData("snntorch")]
    [InlineData("norse")]
    public void Frameworks_without_an_I_node_refuse_it_by_name(string dialect)
        => Assert.Contains("Node '3' is I", Assert.Throws<SpikeSimException>(() => NirChain.Read(Chain(0.5f), NirDialect.Named(dialect))).Message);
}

/// <summary>NIR's Threshold node (z = H(x − θ), no state) as a hidden layer: each step's spikes depend on that step's input alone.</summary>
public sealed class ThresholdNirTests
{
    private sealed class Sink : IRecordingSink
    {
        public List<(int Neuron, double TimeMs)> Fired { get; } = [];

        public void Spikes(int recording, ReadOnlySpan<int> neurons, ReadOnlySpan<double> timesMs)
        {
            for (var k = 0; k < neurons.Length; k++) Fired.Add((neurons[k], timesMs[k]));
        }

        public void State(int recording, double timeMs, ReadOnlySpan<float> values) { }
    }

    private static NirGraph Chain(float threshold)
    {
        var rng = new Random(8);
        float[] Values(int n, double scale) => [.. Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() - 0.4) * scale))];
        var graph = new NirGraph();
        graph.Nodes.Add(("input", NirNode.Of("Input", ("shape", NirArray.I64(3)))));
        graph.Nodes.Add(("0", NirNode.Of("Affine", ("weight", NirArray.F32(Values(18, 2.0), 6, 3)), ("bias", NirArray.F32(Values(6, 0.5))))));
        graph.Nodes.Add(("1", NirNode.Of("Threshold", ("threshold", NirArray.F32(Enumerable.Repeat(threshold, 6).ToArray())))));
        graph.Nodes.Add(("2", NirNode.Of("Affine", ("weight", NirArray.F32(Values(12, 1.0), 2, 6)), ("bias", NirArray.F32(new float[2])))));
        graph.Nodes.Add(("3", NirNode.Of("LI", ("tau", NirArray.F32([0.02f, 0.02f])), ("r", NirArray.F32([1f, 1f])), ("v_leak", NirArray.F32([0f, 0f])))));
        graph.Nodes.Add(("output", NirNode.Of("Output", ("shape", NirArray.I64(2)))));
        foreach (var (a, b) in new[] { ("input", "0"), ("0", "1"), ("1", "2"), ("2", "3"), ("3", "output") }) graph.Edges.Add((a, b));
        graph.Metadata["dt"] = "0.001";
        return graph;
    }

    [Fact]
    public void A_Threshold_layer_fires_where_this_steps_input_exceeds_theta_and_keeps_nothing()
    {
        const float theta = 0.3f;
        var graph = Chain(theta);
        var simulated = NirChain.Read(graph, NirDialect.Generic).ToSimulatedClassifier();
        using var backend = new HostBackend();
        using var simulation = new TimeStepSimulation(simulated.Network, backend, new TimeStepOptions(simulated.DtMs));
        var sink = new Sink();
        simulation.Record([new SpikeRecording(simulated.Network.Populations.Single(p => p.Name == "hidden_0"))], sink);
        var (w, b) = (graph["0"].Fields["weight"].Floats!, graph["0"].Fields["bias"].Floats!);
        float[][] inputs = [[1f, 0f, 0.5f], [0f, 1f, 1f], [1f, 0f, 0.5f], [0.2f, 0.2f, 0.2f], [2f, -1f, 0f], [0f, 0f, 0f]];
        var expected = new List<(int, double)>();
        for (var t = 0; t < inputs.Length; t++)
        {
            simulation.SetInput(simulated.Input, inputs[t]);
            simulation.Run(1);
            for (var i = 0; i < 6; i++)
                if (Enumerable.Range(0, 3).Sum(j => (double)w[i * 3 + j] * inputs[t][j]) + b[i] > theta) expected.Add((i, t * simulated.DtMs));
        }
        Assert.True(expected.Count > 4 && expected.Count < 30, $"{expected.Count} spikes");
        Assert.Equal(expected.OrderBy(e => e.Item2).ThenBy(e => e.Item1), sink.Fired.Select(f => (f.Neuron, f.TimeMs)).OrderBy(e => e.Item2).ThenBy(e => e.Item1));
    }

    [Theory]
    [InlineData("snntorch", 0.3f, "NIR's definition only")]
    [InlineData("generic", 0f, "must be positive")]
    public void A_Threshold_SpikeSim_cannot_read_is_refused_by_name(string dialect, float threshold, string message)
    {
        var error = Assert.Throws<SpikeSimException>(() => NirChain.Read(Chain(threshold), NirDialect.Named(dialect)));
        Assert.Contains("Node '1'", error.Message);
        Assert.Contains(message, error.Message);
    }
}

/// <summary>
/// NIR's CubaLI node (τ_syn·di/dt = −i + w_in·x, τ_mem·dv/dt = v_leak − v + r·i, no spikes) as a classifier's readout,
/// against NIR's equations by forward Euler at the file's dt given the hidden layer's spikes.
/// </summary>
public sealed class CubaLiNirTests
{
    private sealed class Sink : IRecordingSink
    {
        public List<float[]> States { get; } = [];

        public List<(int Neuron, double TimeMs)> Fired { get; } = [];

        public void Spikes(int recording, ReadOnlySpan<int> neurons, ReadOnlySpan<double> timesMs)
        {
            for (var k = 0; k < neurons.Length; k++) Fired.Add((neurons[k], timesMs[k]));
        }

        public void State(int recording, double timeMs, ReadOnlySpan<float> values) => States.Add(values.ToArray());
    }

    private const float TauSyn = 5e-3f, TauMem = 1e-2f, R = 2f, WIn = 1.5f, Dt = 1e-3f;

    private static NirGraph Chain()
    {
        var rng = new Random(4);
        float[] Values(int n, double scale) => [.. Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() - 0.3) * scale))];
        NirArray Fill(int n, float v) => NirArray.F32(Enumerable.Repeat(v, n).ToArray());
        var graph = new NirGraph();
        graph.Nodes.Add(("input", NirNode.Of("Input", ("shape", NirArray.I64(4)))));
        graph.Nodes.Add(("0", NirNode.Of("Affine", ("weight", NirArray.F32(Values(20, 2.0), 5, 4)), ("bias", NirArray.F32(Values(5, 0.5))))));
        graph.Nodes.Add(("1", NirNode.Of("LIF", ("tau", Fill(5, 0.01f)), ("r", Fill(5, 10f)), ("v_leak", Fill(5, 0)), ("v_threshold", Fill(5, 1)), ("v_reset", Fill(5, 0)))));
        graph.Nodes.Add(("2", NirNode.Of("Affine", ("weight", NirArray.F32(Values(10, 1.0), 2, 5)), ("bias", NirArray.F32(Values(2, 0.3))))));
        graph.Nodes.Add(("3", NirNode.Of("CubaLI", ("tau_syn", Fill(2, TauSyn)), ("tau_mem", Fill(2, TauMem)), ("r", Fill(2, R)), ("w_in", Fill(2, WIn)), ("v_leak", Fill(2, 0)))));
        graph.Nodes.Add(("output", NirNode.Of("Output", ("shape", NirArray.I64(2)))));
        foreach (var (a, b) in new[] { ("input", "0"), ("0", "1"), ("1", "2"), ("2", "3"), ("3", "output") }) graph.Edges.Add((a, b));
        graph.Metadata["dt"] = "0.001";
        return graph;
    }

    [Fact]
    public void A_CubaLI_readout_follows_NIRs_equations_by_forward_Euler()
    {
        var graph = Chain();
        var chain = NirChain.Read(graph, NirDialect.Generic);
        Assert.EndsWith("CubaLI readout", chain.ToString());
        var simulated = chain.ToSimulatedClassifier();
        using var backend = new HostBackend();
        using var simulation = new TimeStepSimulation(simulated.Network, backend, new TimeStepOptions(simulated.DtMs));
        var sink = new Sink();
        var hidden = simulated.Network.Populations.Single(p => p.Name == "hidden_0");
        simulation.Record([new SpikeRecording(hidden), new StateRecording(simulated.Output, DiscreteCubaLif.U, [0, 1], simulated.DtMs)], sink);
        const int steps = 15;
        for (var t = 0; t < steps; t++)
        {
            simulation.SetInput(simulated.Input, [1f, 0.5f, 2f, 1.5f]);
            simulation.Run(1);
        }
        Assert.True(sink.Fired.Count > 3, $"{sink.Fired.Count} hidden spikes");
        var (w, b) = (graph["2"].Fields["weight"].Floats!, graph["2"].Fields["bias"].Floats!);
        double[] i = [0, 0], v = [0, 0];
        for (var t = 0; t < steps; t++)
        {
            var s = new double[5];
            foreach (var (neuron, time) in sink.Fired) if (Math.Abs(time - t * simulated.DtMs) < 1e-9) s[neuron] = 1;
            for (var c = 0; c < 2; c++)
            {
                var x = Enumerable.Range(0, 5).Sum(j => w[c * 5 + j] * s[j]) + b[c];
                i[c] += Dt / TauSyn * (WIn * x - i[c]);
                v[c] += Dt / TauMem * (R * i[c] - v[c]);
                Assert.True(Math.Abs(sink.States[t][c] - v[c]) < 1e-4 * Math.Max(1, Math.Abs(v[c])), $"step {t + 1}, class {c}: SpikeSim {sink.States[t][c]}, NIR by forward Euler {v[c]}");
            }
        }
        Assert.Contains(sink.States, row => Math.Abs(row[0]) > 0.05);
    }

    [Fact]
    public void A_CubaLI_hidden_layer_or_a_framework_reading_is_refused_by_name()
    {
        Assert.Contains("Node '3' is CubaLI; SpikeSim reads it with NIR's definition only", Assert.Throws<SpikeSimException>(() => NirChain.Read(Chain(), NirDialect.Named("norse"))).Message);
        var graph = Chain();
        graph.Nodes[2] = ("1", NirNode.Of("CubaLI", ("tau_syn", NirArray.F32([.. Enumerable.Repeat(TauSyn, 5)])), ("tau_mem", NirArray.F32([.. Enumerable.Repeat(TauMem, 5)])),
            ("r", NirArray.F32([.. Enumerable.Repeat(R, 5)])), ("w_in", NirArray.F32([.. Enumerable.Repeat(WIn, 5)])), ("v_leak", NirArray.F32(new float[5]))));
        Assert.Contains("Node '1' is CubaLI; a classifier's hidden layers spike", Assert.Throws<SpikeSimException>(() => NirChain.Read(graph, NirDialect.Generic)).Message);
    }
}
