using SpikeSim.Export.Nir;
using SpikeSim.Simulator.Errors;
using Xunit;
using static SpikeSim.Tests.Export.Nir.NirChainFixture;

namespace SpikeSim.Tests.Export.Nir;

/// <summary>
/// NIR's CubaLI node (τ_syn·di/dt = −i + w_in·x, τ_mem·dv/dt = v_leak − v + r·i, no spikes) as a classifier's readout,
/// against NIR's equations by forward Euler at the file's dt given the hidden layer's spikes.
/// </summary>
public sealed class CubaLiNirTests
{
    private const float TauSyn = 5e-3f, TauMem = 1e-2f, R = 2f, WIn = 1.5f;

    private static NirNode CubaLi(int n) => NirNode.Of("CubaLI", ("tau_syn", Fill(n, TauSyn)), ("tau_mem", Fill(n, TauMem)), ("r", Fill(n, R)), ("w_in", Fill(n, WIn)), ("v_leak", Fill(n, 0)));

    private static NirGraph Graph() => Chain(4, 2, Affine("2", 2, 5), ("3", CubaLi(2)));

    [Fact]
    public void A_CubaLI_readout_follows_NIRs_equations_by_forward_Euler()
    {
        var graph = Graph();
        var chain = NirChain.Read(graph, NirDialect.Generic);
        Assert.EndsWith("CubaLI readout", chain.ToString());
        const int steps = 15;
        var run = Run(chain, steps);
        Assert.True(run.Fired.Count > 3, $"{run.Fired.Count} hidden spikes");
        var (w, b) = (graph["2"].Fields["weight"].Floats!, graph["2"].Fields["bias"].Floats!);
        var dt = DtMs / 1000;
        double[] i = [0, 0], v = [0, 0];
        for (var t = 0; t < steps; t++)
        {
            var s = run.SpikesAt(t);
            for (var c = 0; c < 2; c++)
            {
                var x = Enumerable.Range(0, 5).Sum(j => w[c * 5 + j] * s[j]) + b[c];
                i[c] += dt / TauSyn * (WIn * x - i[c]);
                v[c] += dt / TauMem * (R * i[c] - v[c]);
                Assert.True(Math.Abs(run.States[t][c] - v[c]) < 1e-4 * Math.Max(1, Math.Abs(v[c])), $"step {t + 1}, class {c}: SpikeSim {run.States[t][c]}, NIR by forward Euler {v[c]}");
            }
        }
        Assert.Contains(run.States, row => Math.Abs(row[0]) > 0.05);
    }

    [Fact]
    public void A_CubaLI_hidden_layer_or_a_framework_reading_is_refused_by_name()
    {
        Assert.Contains("Node '3' is CubaLI; SpikeSim reads it with NIR's definition only", Assert.Throws<SpikeSimException>(() => NirChain.Read(Graph(), NirDialect.Named("norse"))).Message);
        var graph = Graph();
        graph.Nodes[2] = ("1", CubaLi(5));
        Assert.Contains("Node '1' is CubaLI; a classifier's hidden layers spike", Assert.Throws<SpikeSimException>(() => NirChain.Read(graph, NirDialect.Generic)).Message);
    }
}
