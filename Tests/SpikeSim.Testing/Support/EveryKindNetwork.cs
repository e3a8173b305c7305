using SpikeSim.Simulator.Inputs;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Plasticity;
using SpikeSim.Simulator.Random;
using SpikeSim.Simulator.Synapses;

namespace SpikeSim.Tests.Support;

/// <summary>
/// A small network with every neuron model, every kind of projection (a generated one too), per-synapse delays, both
/// sources and a time-varying current. Weights are multiples of 1/64, so sums of synaptic input
/// are exact in float and do not depend on the order in which atomics add them: two backends
/// must then agree bit for bit.
/// </summary>
public static class EveryKindNetwork
{
    public static Network Build(ulong seed)
    {
        var rng = new Xoshiro256(seed);
        Func<Xoshiro256, float> Weight(int lo, int hi) => r => (lo + r.NextInt(hi - lo + 1)) / 64f;
        var network = new Network();
        var poisson = network.AddPopulation("poisson", 64, new PoissonSource(150));
        var times = network.AddPopulation("times", 8, new SpikeTimeSource(
            Enumerable.Range(0, 40).Select(k => (k % 8, 0.35 + 1.7 * k)).ToList()));
        var lif = network.AddPopulation("lif", 100, new Lif(TauMs: 10, VLeak: 0, VThreshold: 1, VReset: 0, RefractoryMs: 1.0, Reset: ResetMode.Subtract));
        var cuba = network.AddPopulation("cuba", 67, new CubaLif(TauMemMs: 15, TauSynExcMs: 4, TauSynInhMs: 8, VLeak: 0, VThreshold: 1, VReset: 0, RefractoryMs: 2));
        var integrate = network.AddPopulation("if", 100, new IntegrateAndFire(VThreshold: 1, VReset: 0, RefractoryMs: 0.5));
        var readout = network.AddPopulation("li", 9, new LeakyIntegrator(TauMs: 30));
        var izhikevich = network.AddPopulation("izhikevich", 20, Izhikevich.RegularSpiking);
        var alif = network.AddPopulation("alif", 33, new AdaptiveLif(TauMs: 20, TauAdaptMs: 50, Beta: 0.5, VThreshold: 1, Comparison: SpikeComparison.GreaterOrEqual));

        var toLif = Connect.FixedProbability(64, 100, 0.2, Weight(4, 24), rng);
        toLif = toLif with { DelaysMs = toLif.Weights.Select((_, k) => 0.1f * (1 + k % 7)).ToArray() };
        network.Connect(poisson, lif, toLif);
        network.Connect(times, lif, new DenseConnectivity(8, 100, Enumerable.Range(0, 800).Select(_ => Weight(0, 40)(rng)).ToArray()), delayMs: 0.3);
        network.Connect(poisson, cuba, Connect.FixedInDegree(64, 67, 10, Weight(8, 30), rng), CubaLif.Excitatory);
        network.Connect(lif, cuba, new DenseConnectivity(100, 67, Enumerable.Range(0, 6700).Select(_ => -Weight(0, 8)(rng)).ToArray()), CubaLif.Inhibitory, 0.5);
        network.Connect(lif, integrate, new OneToOneConnectivity(Enumerable.Range(0, 100).Select(_ => Weight(10, 40)(rng)).ToArray()), delayMs: 0.2);
        network.Connect(lif, lif, Connect.FixedProbability(100, 100, 0.05, Weight(-10, 10), rng, allowAutapses: false), delayMs: 1.0);
        network.Connect(cuba, readout, new DenseConnectivity(67, 9, Enumerable.Range(0, 603).Select(_ => Weight(-8, 8)(rng)).ToArray()));
        network.Connect(poisson, alif, Connect.FixedProbability(64, 33, 0.3, Weight(6, 20), rng));
        // A rule generated when the engine builds (NEST's fixed_total_number), with random 1-byte delays.
        network.Connect(poisson, integrate, new FixedTotalNumberConnectivity(64, 100, 500, RedrawnNormal.Constant(6 / 64.0),
            new RedrawnNormal(0.6, 0.4, 0.05, 2.5), seed, Stream: 9));
        network.Inject(new CurrentInput(cuba, Enumerable.Range(0, 67).Select(i => 0.02f * (i % 5)).ToArray(),
            Enumerable.Range(0, 50).Select(k => (float)Math.Sin(k / 8.0)).ToArray()));
        network.Inject(CurrentInput.Constant(integrate, 0.01f));
        network.Inject(new PoissonInput(cuba, 2500, 4 / 64f, CubaLif.Excitatory));
        network.Inject(new PoissonInput(alif, 800, 3 / 64f));
        network.Inject(new PoissonInput(izhikevich, 1500, 64 / 64f));
        network.Inject(CurrentInput.Constant(izhikevich, 3f));
        network.Inject(new NoiseCurrentInput(izhikevich, -2f, 6f));

        // Learning: one plastic synapse per learner neuron, so its (inexact) weights are the only
        // term of their sums and both backends add them in the same order.
        var learner = network.AddPopulation("learner", 16, new Lif(TauMs: 10, VThreshold: 1));
        network.Inject(new PoissonInput(learner, 3000, 6 / 64f));
        var dopamine = new Neuromodulator(TauNMs: 20, Source: poisson, PerSpike: 0.01);
        var stdp = new PairStdp(APlus: 0.02, AMinus: 0.021, WMin: 0, WMax: 0.5, Pairing: TracePairing.Nearest);
        network.Connect(lif, learner, new SparseConnectivity(100, 16, Enumerable.Range(0, 101).Select(i => Math.Min(i, 16)).ToArray(),
            Enumerable.Range(0, 16).ToArray(), Enumerable.Repeat(0.25f, 16).ToArray()), delayMs: 0.3,
            plasticity: new ThreeFactorStdp(stdp, dopamine, TauCMs: 50, LearningRate: 2, B: 0.05));

        // The decomposed rule (per-neuron coefficients on the device, a modulation read out of the post traces each
        // step), again one synapse per target: source 0's row is 20 consecutive targets (the host's vectorised row and
        // its tail), source 1's two targets are not consecutive (the per-synapse path).
        var decomposed = network.AddPopulation("decomposed", 22, new Lif(TauMs: 10, VThreshold: 1));
        network.Inject(new PoissonInput(decomposed, 3000, 6 / 64f));
        float[] Coefficients(int length, double scale) => [.. Enumerable.Range(0, length).Select(_ => (float)(scale * (rng.NextInt(129) - 64) / 64))];
        var coefficients = new DecomposedRuleValues(Coefficients(22, 1), Coefficients(100, 1), Coefficients(22, 0.5), Coefficients(100, 0.5),
            Coefficients(22, 0.5), Coefficients(100, 0.5), Coefficients(22, 0.1), Coefficients(100, 0.1), Coefficients(22, 1), 0.25f);
        network.Connect(lif, decomposed, new SparseConnectivity(100, 22, [0, 20, .. Enumerable.Repeat(22, 99)], [.. Enumerable.Range(0, 20), 21, 20],
            Enumerable.Repeat(0.25f, 22).ToArray()), delayMs: 0.3,
            plasticity: new DecomposedStdp(coefficients, UpdateIntervalMs: 1, TauCMs: 20, LearningRate: 0.5, WMin: -0.5, WMax: 1, PreTauMs: 10, PostTauMs: 5));
        return network;
    }
}
