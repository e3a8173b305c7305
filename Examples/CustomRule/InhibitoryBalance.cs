using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Random;
using SpikeSim.Simulator.Recording;
using SpikeSim.Simulator.Synapses;

namespace CustomRule;

/// <summary>
/// Vogels et al.'s (2011) demonstration in miniature: current-based LIF neurons driven far above the target rate by
/// Poisson excitation, with plastic inhibition from Poisson sources under <see cref="VogelsSprekelerStdp"/>; the
/// inhibition grows until the neurons fire near ρ₀ = α/(2τ).
/// </summary>
public static class InhibitoryBalance
{
    /// <summary>Neurons that learn.</summary>
    public const int Neurons = 25;

    /// <summary>The network: 200 excitatory sources at 10 Hz (w 0.2 mV), 100 inhibitory at 10 Hz (w −0.02 mV, plastic), 25 CUBA-LIF neurons.</summary>
    public static (Network Network, Population Post, Projection Plastic) Build(VogelsSprekelerStdp rule)
    {
        var network = new Network();
        var excitation = network.AddPopulation("excitation", 200, new PoissonSource(RateHz: 10));
        var inhibition = network.AddPopulation("inhibition", 100, new PoissonSource(RateHz: 10));
        var post = network.AddPopulation("post", Neurons, new CubaLif(TauMemMs: 20, TauSynExcMs: 5, TauSynInhMs: 10, RefractoryMs: 2));
        network.Connect(excitation, post, Random(200, 0.2f, seed: 1), CubaLif.Excitatory, delayMs: 1);
        var plastic = network.Connect(inhibition, post, Random(100, -0.02f, seed: 2), CubaLif.Inhibitory, delayMs: 1, rule);
        return (network, post, plastic);
    }

    /// <summary>
    /// Runs <paramref name="engine"/> for <paramref name="durationMs"/> and returns the population rate (Hz) over the first
    /// and the last quarter of the run.
    /// </summary>
    public static (double Early, double Late) Rates(ISimulationEngine engine, Population post, double durationMs)
    {
        var counter = new QuarterCounter(durationMs);
        engine.Record([new SpikeRecording(post)], counter);
        engine.Run(durationMs);
        var quarterSeconds = durationMs / 4 / 1000;
        return (counter.Early / (post.Size * quarterSeconds), counter.Late / (post.Size * quarterSeconds));
    }

    // Every source reaches every neuron (sparse, so that a rule may learn on it), weights within ±25 % of w.
    private static SparseConnectivity Random(int sources, float w, uint seed)
    {
        var synapses = new List<(int, int, float)>();
        for (var i = 0; i < sources; i++)
            for (var j = 0; j < Neurons; j++)
                synapses.Add((i, j, w * (0.75f + 0.5f * CounterRng.Uniform(seed, (uint)i, (uint)j))));
        return SparseConnectivity.FromTriples(sources, Neurons, synapses);
    }

    private sealed class QuarterCounter(double durationMs) : IRecordingSink
    {
        public long Early { get; private set; }

        public long Late { get; private set; }

        public void Spikes(int recording, ReadOnlySpan<int> neurons, ReadOnlySpan<double> timesMs)
        {
            foreach (var t in timesMs)
            {
                if (t < durationMs / 4) Early++;
                else if (t >= 3 * durationMs / 4) Late++;
            }
        }

        public void State(int recording, double timeMs, ReadOnlySpan<float> values)
        {
        }
    }
}
