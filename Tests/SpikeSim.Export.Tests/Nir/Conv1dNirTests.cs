using SpikeSim.Export.Nir;
using SpikeSim.Simulator.Errors;
using Xunit;

namespace SpikeSim.Tests.Export.Nir;

/// <summary>
/// NIR's Conv1d (weight [C_out, C_in, k], one stride, padding and dilation, a (C, L) input) and a Conv2d with a
/// rectangular kernel and per-axis strides run in the simulator as (C, 1, L) images with 1 × k kernels. A convolution is
/// a matrix, so each graph must give the readout of the same graph with its convolution unrolled into one Affine,
/// step by step, and the same hidden spikes.
/// </summary>
public sealed class Conv1dNirTests
{
    private const int InC = 2, Length = 12, OutC = 3, K = 3, Stride = 2, Pad = 1;
    private const int OutLength = (Length + 2 * Pad - K) / Stride + 1;   // 6

    private static float[] Values(int n, double scale, int seed)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() - 0.35) * scale))];
    }

    private static readonly float[] Weight = Values(OutC * InC * K, 1.2, 3);
    private static readonly float[] Bias = Values(OutC, 0.3, 4);
    private static readonly float[] Readout = Values(3 * OutC * OutLength, 0.8, 5);

    private static NirArray Fill(int n, float v, params int[] shape) => NirArray.F32(Enumerable.Repeat(v, n).ToArray(), shape);

    private static NirNode Lif(int n, params int[] shape)
        => NirNode.Of("LIF", ("tau", Fill(n, 2e-3f, shape)), ("r", Fill(n, 20f, shape)), ("v_leak", Fill(n, 0, shape)), ("v_threshold", Fill(n, 1, shape)), ("v_reset", Fill(n, 0, shape)));

    /// <summary>Input [2, 12] → Conv1d(3, k 3, stride 2, padding 1) → LIF [3, 6] → Flatten → Affine(3) → LI → Output, as snnTorch/Norse would lay it out.</summary>
    private static NirGraph Convolutional()
    {
        var graph = new NirGraph();
        graph.Nodes.Add(("input", NirNode.Of("Input", ("shape", NirArray.I64(InC, Length)))));
        graph.Nodes.Add(("conv", NirNode.Of("Conv1d", ("weight", NirArray.F32(Weight, OutC, InC, K)), ("bias", NirArray.F32(Bias)), ("stride", NirArray.Scalar(Stride)),
            ("padding", NirArray.Scalar(Pad)), ("dilation", NirArray.Scalar(1)), ("groups", NirArray.Scalar(1)), ("input_shape", NirArray.Scalar(Length)))));
        graph.Nodes.Add(("lif", Lif(OutC * OutLength, OutC, OutLength)));
        graph.Nodes.Add(("flatten", NirNode.Of("Flatten", ("start_dim", NirArray.Scalar(0)), ("end_dim", NirArray.Scalar(-1)), ("input_type", NirArray.I64(OutC, OutLength)))));
        return WithReadout(graph);
    }

    /// <summary>The same network, its Conv1d unrolled into one Affine [18, 24] (channels-first rows and columns).</summary>
    private static NirGraph Unrolled()
    {
        var m = new float[OutC * OutLength * InC * Length];
        var b = new float[OutC * OutLength];
        for (var o = 0; o < OutC; o++)
            for (var j = 0; j < OutLength; j++)
            {
                b[o * OutLength + j] = Bias[o];
                for (var c = 0; c < InC; c++)
                    for (var q = 0; q < K; q++)
                    {
                        var i = j * Stride - Pad + q;
                        if (i is >= 0 and < Length) m[(o * OutLength + j) * InC * Length + c * Length + i] += Weight[(o * InC + c) * K + q];
                    }
            }
        var graph = new NirGraph();
        graph.Nodes.Add(("input", NirNode.Of("Input", ("shape", NirArray.I64(InC * Length)))));
        graph.Nodes.Add(("conv", NirNode.Of("Affine", ("weight", NirArray.F32(m, OutC * OutLength, InC * Length)), ("bias", NirArray.F32(b)))));
        graph.Nodes.Add(("lif", Lif(OutC * OutLength)));
        return WithReadout(graph);
    }

    private static NirGraph WithReadout(NirGraph graph)
    {
        graph.Nodes.Add(("affine", NirNode.Of("Affine", ("weight", NirArray.F32(Readout, 3, OutC * OutLength)), ("bias", NirArray.F32(new float[3])))));
        graph.Nodes.Add(("readout", NirNode.Of("LI", ("tau", Fill(3, 4e-3f)), ("r", Fill(3, 40f)), ("v_leak", Fill(3, 0)))));
        graph.Nodes.Add(("output", NirNode.Of("Output", ("shape", NirArray.I64(3)))));
        var names = graph.Nodes.Select(n => n.Name).ToList();
        for (var i = 0; i + 1 < names.Count; i++) graph.Edges.Add((names[i], names[i + 1]));
        return graph;
    }

    private static (float[] Readout, long HiddenSpikes, string Chain) Run(NirGraph graph, NirDialect reader)
        => NirChainFixture.RunThroughFile(graph, reader, Values(InC * Length, 2.0, 9), 10, 3);

    [Theory]
    [InlineData("generic")]
    [InlineData("snntorch")]
    [InlineData("norse")]
    public void A_conv1d_runs_as_the_matrix_it_is(string dialect)
    {
        var reader = NirDialect.Named(dialect);
        var (convolutional, spikes, chain) = Run(Convolutional(), reader);
        var (dense, denseSpikes, _) = Run(Unrolled(), reader);
        Assert.StartsWith("2×1×12-3C1x3S1x2P0x1-3", chain);
        Assert.True(spikes > 5, $"only {spikes} hidden spikes");
        Assert.Equal(denseSpikes, spikes);
        for (var i = 0; i < dense.Length; i++)
            Assert.True(Math.Abs(convolutional[i] - dense[i]) <= 1e-4 * Math.Max(1, Math.Abs(dense[i])), $"value {i}: convolution {convolutional[i]}, its matrix {dense[i]}");
    }

    [Theory]
    [InlineData("stride", "one value")]
    [InlineData("weight", "[C_out, 2, k]")]
    [InlineData("input", "signal (C, L)")]
    public void A_conv1d_the_simulator_cannot_run_is_refused_naming_the_node(string change, string message)
    {
        var graph = Convolutional();
        var conv = graph["conv"];
        switch (change)
        {
            case "stride": conv.Fields["stride"] = NirArray.I64(2, 2); break;
            case "weight": conv.Fields["weight"] = NirArray.F32(Weight, OutC, InC, 1, K); break;
            default: graph.Nodes[0] = ("input", NirNode.Of("Input", ("shape", NirArray.I64(InC, 1, Length)))); break;
        }
        var error = Assert.Throws<SpikeSimException>(() => NirChain.Read(graph, NirDialect.Generic));
        Assert.Contains(message, error.Message);
        Assert.Contains(change == "input" ? "'input'" : "'conv'", error.Message);
    }
}
