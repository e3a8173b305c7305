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

    private static readonly float[] Weight = Values(Out * 2 * K * K, 1.1, 3); // [Out, C_in, K, K] for up to two input channels
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

    /// <summary>Input [C, 6, 6] → Conv2d(2, 3×3, padding 1) → pooling 2×2 → LIF [2, 3, 3] → Flatten → Affine(3) → LI → Output.</summary>
    private static NirGraph Convolutional(string pool, int channels = 1)
    {
        var graph = new NirGraph();
        graph.Nodes.Add(("input", NirNode.Of("Input", ("shape", NirArray.I64(channels, Side, Side)))));
        graph.Nodes.Add(("0", NirNode.Of("Conv2d", ("weight", NirArray.F32(Weight[..(Out * channels * K * K)], Out, channels, K, K)), ("bias", NirArray.F32(Bias)), ("stride", NirArray.I64(1, 1)),
            ("padding", NirArray.I64(1, 1)), ("dilation", NirArray.I64(1, 1)), ("groups", NirArray.I64(1)), ("input_shape", NirArray.I64(Side, Side)))));
        graph.Nodes.Add(("1", NirNode.Of(pool, ("kernel_size", NirArray.I64(Pool, Pool)), ("stride", NirArray.I64(Pool, Pool)), ("padding", NirArray.I64(0, 0)))));
        graph.Nodes.Add(("2", Lif(Out * 9, Out, 3, 3)));
        graph.Nodes.Add(("3", NirNode.Of("Flatten", ("start_dim", NirArray.I64(0)), ("end_dim", NirArray.I64(-1)))));
        return Readout3(graph, "3");
    }

    /// <summary>The same network with the convolution and its pooling unrolled into one Affine [18, C·36] (channels-first rows and columns).</summary>
    private static NirGraph Unrolled(string pool, int channels = 1)
    {
        var m = new float[Out * 9 * channels * Side * Side];
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
                            for (var ci = 0; ci < channels; ci++)
                                for (var ky = 0; ky < K; ky++)
                                    for (var kx = 0; kx < K; kx++)
                                    {
                                        int iy = py * Pool + wy - 1 + ky, ix = px * Pool + wx - 1 + kx;
                                        if (iy is >= 0 and < Side && ix is >= 0 and < Side)
                                            m[(row * channels + ci) * Side * Side + iy * Side + ix] += (float)(Weight[((c * channels + ci) * K + ky) * K + kx] * norm);
                                    }
                }
        var graph = new NirGraph();
        graph.Nodes.Add(("input", NirNode.Of("Input", ("shape", NirArray.I64(channels * Side * Side)))));
        graph.Nodes.Add(("0", NirNode.Of("Affine", ("weight", NirArray.F32(m, Out * 9, channels * Side * Side)), ("bias", NirArray.F32(b)))));
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

    /// <summary>The readout of each of 10 steps and the hidden spikes, for a fixed random C×6×6 input (channels-first, as NIR gives images).</summary>
    private static (List<float[]> Readout, long HiddenSpikes, string Chain) Run(NirGraph graph, NirDialect reader, int channels)
    {
        var (rows, spikes, chain) = NirChainFixture.RunThroughFile(graph, reader, Values(channels * Side * Side, 2.0, 9), 10, 3);
        return ([.. rows.Chunk(3)], spikes, chain);
    }

    // With two input channels the image comes channels-first, as NIR and PyTorch lay it out; the simulator's convolutions
    // read it channels-last, so the classifier reorders each step's input (the two channels differ).
    [Theory]
    [InlineData("SumPool2d", "snntorch", 1)]
    [InlineData("AvgPool2d", "snntorch", 1)]
    [InlineData("AvgPool2d", "generic", 1)]
    [InlineData("SumPool2d", "norse", 1)]
    [InlineData("SumPool2d", "generic", 2)]
    [InlineData("AvgPool2d", "snntorch", 2)]
    public void A_convolution_and_its_pooling_run_as_the_matrix_they_are(string pool, string dialect, int channels)
    {
        var reader = NirDialect.Named(dialect);
        var (convolutional, spikes, chain) = Run(Convolutional(pool, channels), reader, channels);
        var (dense, denseSpikes, _) = Run(Unrolled(pool, channels), reader, channels);
        Assert.StartsWith($"{channels}×6×6-2C3P1-{(pool == "SumPool2d" ? "SP" : "AP")}2-3", chain);
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
    [InlineData("rank", 2, "is an image (C, H, W)")]
    public void What_the_simulator_cannot_run_is_refused_naming_the_node(string change, int value, string message)
    {
        var graph = Convolutional("SumPool2d");
        var conv = graph.Nodes.Single(n => n.Name == "0").Node;
        switch (change)
        {
            case "rank":
                graph.Nodes[0] = ("input", NirNode.Of("Input", ("shape", NirArray.I64(Side, Side))));
                break;
            default:
                conv.Fields[change] = change == "groups" ? NirArray.I64(value) : NirArray.I64(value, value);
                break;
        }
        var error = Assert.Throws<SpikeSimException>(() => NirChain.Read(graph, NirDialect.Generic));
        Assert.Contains(message, error.Message);
        Assert.Contains(change == "rank" ? "'input'" : "'0'", error.Message);
    }
}
