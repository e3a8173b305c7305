using SpikeSim.Export.Nir;
using SpikeSim.Simulator.Errors;
using Xunit;
using static SpikeSim.Tests.Export.Nir.NirChainFixture;

namespace SpikeSim.Tests.Export.Nir;

/// <summary>NIR's Delay node between two layers: the next layer reads the spikes of whole steps before (zeros until then).</summary>
public sealed class DelayNirTests
{
    private const float Tau = 0.02f, R = 1.5f;

    private static NirGraph Graph(float delaySeconds)
        => Chain(6, 2, ("d", NirNode.Of("Delay", ("delay", Fill(5, delaySeconds)))), Affine("2", 2, 7),
            ("3", NirNode.Of("LI", ("tau", Fill(2, Tau)), ("r", Fill(2, R)), ("v_leak", Fill(2, 0)))));

    [Fact]
    public void A_Delay_makes_the_next_layer_read_spikes_whole_steps_late()
    {
        const int delay = 3, steps = 14;
        var graph = Graph(delay * (float)(DtMs / 1000));
        var chain = NirChain.Read(graph, NirDialect.Generic);
        Assert.Equal(delay, chain.Layers[1].DelaySteps);
        var run = Run(chain, steps);
        Assert.True(run.Fired.Count > 3, $"{run.Fired.Count} hidden spikes");
        // NIR's LI by forward Euler at dt: y ← y + (dt/τ)·(r·x − y), x the Affine's output of the spikes `delay` steps before.
        var (w, b) = (graph["2"].Fields["weight"].Floats!, graph["2"].Fields["bias"].Floats!);
        double[] y = [0, 0];
        var k = DtMs / 1000 / Tau;
        for (var t = 0; t < steps; t++)
        {
            var s = run.SpikesAt(t - delay);
            for (var c = 0; c < 2; c++)
            {
                y[c] += k * (R * (Enumerable.Range(0, 5).Sum(j => w[c * 5 + j] * s[j]) + b[c]) - y[c]);
                Assert.True(Math.Abs(run.States[t][c] - y[c]) < 1e-5 * Math.Max(1, Math.Abs(y[c])), $"step {t + 1}, class {c}: SpikeSim {run.States[t][c]}, closed form {y[c]}");
            }
        }
    }

    [Theory]
    [InlineData("generic", 0.0025f, "not a whole number of steps")]
    [InlineData("snntorch", 0.003f, "NIR's definition only")]
    public void A_Delay_SpikeSim_cannot_read_is_refused_by_name(string dialect, float delaySeconds, string message)
    {
        var error = Assert.Throws<SpikeSimException>(() => NirChain.Read(Graph(delaySeconds), NirDialect.Named(dialect)));
        Assert.Contains("Node 'd'", error.Message);
        Assert.Contains(message, error.Message);
    }
}
