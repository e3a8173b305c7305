using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Inputs;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Plasticity;
using SpikeSim.Simulator.Random;
using SpikeSim.Simulator.Synapses;

namespace SpikeSim.Experiments.DistalReward;

/// <summary>
/// Izhikevich (2007), "Solving the distal reward problem through linkage of STDP and dopamine
/// signaling" (Cereb. Cortex 17:2443): 800 regular-spiking excitatory and 200 fast-spiking inhibitory
/// neurons, 100 synapses each (excitatory onto any neuron with delays of 1–20 ms, inhibitory onto
/// excitatory neurons with 1 ms), random thalamic input (the paper code's I = 13·(rand − 0.5) for every
/// neuron every millisecond), dt = 1 ms. Excitatory synapses learn by dopamine-modulated STDP with
/// the paper's constants: the STDP trace is 0.1 at a spike and decays with τ = 20 ms, depression is
/// 1.5 times potentiation, c decays with τ_c = 1 s, dopamine with τ_n = 0.2 s, weights follow
/// (DA + 0.002)·c within [0, 4]. One excitatory synapse is chosen; whenever its postsynaptic neuron
/// fires within 10 ms after its presynaptic neuron, 0.5 of dopamine is released after a random delay
/// of up to 1 s (<see cref="Reward"/>).
/// </summary>
public static class DistalReward
{
    /// <summary>Time step, ms.</summary>
    public const double DtMs = 1;
    /// <summary>Largest weight.</summary>
    public const float WMax = 4;
    /// <summary>Initial excitatory weight.</summary>
    public const float InitialWeight = 1;

    /// <summary>The network, its plastic projections, the chosen synapse and the dopamine.</summary>
    public sealed record Setup(Network Network, Population Excitatory, Population Inhibitory, Projection ExcitatoryToExcitatory,
        Projection ExcitatoryToInhibitory, int ChosenSynapse, int ChosenPre, int ChosenPost, Neuromodulator Dopamine);

    /// <summary>Builds the network from <paramref name="seed"/>.</summary>
    public static Setup Build(ulong seed)
    {
        const int nE = 800, nI = 200, fanOut = 100;
        var rng = new Xoshiro256(seed);
        var network = new Network();
        var excitatory = network.AddPopulation("excitatory", nE, Izhikevich.RegularSpiking);
        var inhibitory = network.AddPopulation("inhibitory", nI, Izhikevich.FastSpiking);
        var dopamine = new Neuromodulator(TauNMs: 200);
        // LTP of 0.1·trace and LTD of 1.5 × 0.1·trace; w += 0.1/ms·(DA + 0.002)·c is the paper's 10 ms update of (DA + 0.002)·c.
        var stdp = new PairStdp(APlus: 0.1, AMinus: 0.15, TauPlusMs: 20, TauMinusMs: 20, WMin: 0, WMax: WMax);
        var rule = new ThreeFactorStdp(stdp, dopamine, TauCMs: 1000, LearningRate: 0.1, B: -0.002);

        // Each excitatory neuron: 100 distinct random targets among all 1000, each with a delay of 1–20 ms.
        var toE = new List<(int, int, float, float)>();
        var toI = new List<(int, int, float, float)>();
        for (var i = 0; i < nE; i++)
        {
            var targets = new HashSet<int>();
            while (targets.Count < fanOut)
            {
                var j = rng.NextInt(nE + nI);
                if (j != i) targets.Add(j);
            }
            foreach (var j in targets.Order())
            {
                var delay = 1 + rng.NextInt(20);
                if (j < nE) toE.Add((i, j, InitialWeight, delay));
                else toI.Add((i, j - nE, InitialWeight, delay));
            }
        }
        var ee = network.Connect(excitatory, excitatory, WithDelays(nE, nE, toE), plasticity: rule);
        var ei = network.Connect(excitatory, inhibitory, WithDelays(nE, nI, toI), plasticity: rule);
        var inhibition = new List<(int, int, float)>();
        for (var i = 0; i < nI; i++)
        {
            var targets = new HashSet<int>();
            while (targets.Count < fanOut) targets.Add(rng.NextInt(nE));
            inhibition.AddRange(targets.Order().Select(j => (i, j, -1f)));
        }
        network.Connect(inhibitory, excitatory, SparseConnectivity.FromTriples(nI, nE, inhibition), delayMs: 1);
        foreach (var p in new[] { excitatory, inhibitory }) network.Inject(new NoiseCurrentInput(p, -6.5f, 6.5f));

        var sparse = (SparseConnectivity)ee.Connectivity;
        var chosen = rng.NextInt(sparse.TargetIndex.Length);
        var pre = Array.FindLastIndex(sparse.RowStart, start => start <= chosen);
        return new Setup(network, excitatory, inhibitory, ee, ei, chosen, pre, sparse.TargetIndex[chosen], dopamine);
    }

    private static SparseConnectivity WithDelays(int sources, int targets, List<(int Source, int Target, float Weight, float DelayMs)> synapses)
    {
        var c = SparseConnectivity.FromTriples(sources, targets, synapses.Select(s => (s.Source, s.Target, s.Weight)).ToList());
        // FromTriples keeps each row in input order, which is the order of the list: delays follow it.
        return c with { DelaysMs = synapses.Select(s => s.DelayMs).ToArray() };
    }

    /// <summary>
    /// Watches the chosen synapse: when its postsynaptic neuron fires within 10 ms after its presynaptic
    /// neuron, schedules 0.5 of dopamine at a uniformly random delay of up to 1 s, and releases it then.
    /// </summary>
    public sealed class Reward(Setup setup, TimeStepSimulation simulation, ulong seed) : IStepObserver
    {
        private readonly Xoshiro256 _rng = new(seed ^ 0xD15741);
        private readonly SortedSet<(int Step, int Id)> _pending = [];
        private int _lastPre = int.MinValue / 2;
        private int _ids;

        /// <summary>Window in which a post spike after a pre spike counts, ms.</summary>
        public const int WindowMs = 10;

        /// <summary>Rewards given so far.</summary>
        public int Delivered { get; private set; }

        /// <inheritdoc />
        public void OnStep(IStepView view)
        {
            if (view.Spikes(setup.Excitatory).Contains(setup.ChosenPre)) _lastPre = view.Step;
            if (view.Spikes(setup.Excitatory).Contains(setup.ChosenPost) && view.Step - _lastPre is > 0 and <= WindowMs)
                _pending.Add((view.Step + 1 + _rng.NextInt(1000), _ids++));
            while (_pending.Count > 0 && _pending.Min.Step <= view.Step + 1)
            {
                _pending.Remove(_pending.Min);
                simulation.Release(setup.Dopamine, 0.5);
                Delivered++;
            }
        }
    }

    /// <summary>Checks a run length in minutes.</summary>
    public static int Steps(double minutes)
    {
        if (!(minutes > 0) || minutes > 24 * 60)
            throw new InvalidParameterException($"--minutes must lie in (0, 1440] (got {minutes}).");
        return (int)Math.Round(minutes * 60_000 / DtMs);
    }
}
