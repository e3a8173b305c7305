using SpikeSim.Export.Nir;
using SpikeSim.Simulator.Errors;
using Xunit;
using static SpikeSim.Tests.Export.Nir.NirChainFixture;

namespace SpikeSim.Tests.Export.Nir;

/// <summary>NIR's Threshold node (z = H(x − θ), no state) as a hidden layer: each step's spikes depend on that step's input alone.</summary>
public sealed class ThresholdNirTests
{
    private static NirGraph Graph(float threshold)
    {
        var graph = Chain(8, 2, Affine("2", 2, 9), ("3", NirNode.Of("LI", ("tau", Fill(2, 0.02f)), ("r", Fill(2, 1f)), ("v_leak", Fill(2, 0)))));
        graph.Nodes[2] = ("1", NirNode.Of("Threshold", ("threshold", Fill(5, threshold))));
        return graph;
    }

    [Fact]
    public void A_Threshold_layer_fires_where_this_steps_input_exceeds_theta_and_keeps_nothing()
    {
        const float theta = 0.3f;
        var graph = Graph(theta);
        var chain = NirChain.Read(graph, NirDialect.Generic);
        var (w, b) = (graph["0"].Fields["weight"].Floats!, graph["0"].Fields["bias"].Floats!);
        float[][] inputs = [[1f, 0f, 0.5f, 0f], [0f, 1f, 1f, 0.5f], [1f, 0f, 0.5f, 0f], [0.2f, 0.2f, 0.2f, 0.2f], [2f, -1f, 0f, 1f], [0f, 0f, 0f, 0f]];
        var run = Run(chain, inputs.Length, t => inputs[t]);
        var expected = new List<(int, double)>();
        for (var t = 0; t < inputs.Length; t++)
            for (var i = 0; i < 5; i++)
                if (Enumerable.Range(0, 4).Sum(j => (double)w[i * 4 + j] * inputs[t][j]) + b[i] > theta) expected.Add((i, t * DtMs));
        Assert.True(expected.Count > 4, $"{expected.Count} spikes");
        Assert.Equal(expected.OrderBy(e => e.Item2).ThenBy(e => e.Item1), run.Fired.OrderBy(e => e.TimeMs).ThenBy(e => e.Neuron));
    }

    [Theory]
    [InlineData("snntorch", 0.3f, "NIR's definition only")]
    [InlineData("generic", 0f, "must be positive")]
    public void A_Threshold_SpikeSim_cannot_read_is_refused_by_name(string dialect, float threshold, string message)
    {
        var error = Assert.Throws<SpikeSimException>(() => NirChain.Read(Graph(threshold), NirDialect.Named(dialect)));
        Assert.Contains("Node '1'", error.Message);
        Assert.Contains(message, error.Message);
    }
}
