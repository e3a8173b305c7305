using SpikeSim.Export.Nir;
using SpikeSim.Simulator.Errors;
using Xunit;
using static SpikeSim.Tests.Export.Nir.NirChainFixture;

namespace SpikeSim.Tests.Export.Nir;

/// <summary>NIR's I node (dv/dt = r·I: no leak, no spikes) as a classifier's readout: y[t] = y[t−1] + r·(W·s[t] + b).</summary>
public sealed class IntegratorNirTests
{
    private const float R = 0.5f;

    private static NirGraph Graph() => Chain(3, 2, Affine("2", 2, 4), ("3", NirNode.Of("I", ("r", Fill(2, R)))));

    [Fact]
    public void An_I_readout_integrates_its_input_without_leak()
    {
        var graph = Graph();
        var chain = NirChain.Read(graph, NirDialect.Generic);
        Assert.EndsWith("I readout", chain.ToString());
        const int steps = 12;
        var run = Run(chain, steps);
        Assert.True(run.Fired.Count > 3, $"{run.Fired.Count} hidden spikes");
        var (w, b) = (graph["2"].Fields["weight"].Floats!, graph["2"].Fields["bias"].Floats!);
        double[] y = [0, 0];
        for (var t = 0; t < steps; t++)
        {
            var s = run.SpikesAt(t);
            for (var c = 0; c < 2; c++)
            {
                y[c] += R * (Enumerable.Range(0, 5).Sum(j => w[c * 5 + j] * s[j]) + b[c]);
                Assert.True(Math.Abs(run.States[t][c] - y[c]) < 1e-5 * Math.Max(1, Math.Abs(y[c])), $"step {t + 1}, class {c}: SpikeSim {run.States[t][c]}, closed form {y[c]}");
            }
        }
    }

    [Theory]
    [InlineData("snntorch")]
    [InlineData("norse")]
    public void Frameworks_without_an_I_node_refuse_it_by_name(string dialect)
        => Assert.Contains("Node '3' is I", Assert.Throws<SpikeSimException>(() => NirChain.Read(Graph(), NirDialect.Named(dialect))).Message);
}
