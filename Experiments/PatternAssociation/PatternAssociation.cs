using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Plasticity;
using SpikeSim.Simulator.Random;
using SpikeSim.Simulator.Synapses;

namespace SpikeSim.Experiments.PatternAssociation;

/// <summary>
/// Reward-modulated pattern association: K frozen Poisson patterns over 100 inputs — in pattern k a
/// random half of the inputs fires at 40 Hz and the rest at 2 Hz, each a fixed 100 ms spike train —
/// one LIF output per pattern under strong mutual inhibition (the first output to fire silences the
/// others, so only the winner's synapses become eligible), and three-factor STDP on every
/// input→output synapse. Each trial replays a random pattern; at the end of its window the reward R is
/// +1 if the pattern's own output fired strictly most, −1 if another fired as much or more (silence
/// decides nothing), and the dopamine released is the reward prediction error R − R̄, R̄ a running mean
/// of that pattern's rewards (rate 0.1; Frémaux, Sprekeler and Gerstner 2010). A trial is 100 ms of
/// pattern and 200 ms of silence.
/// </summary>
public static class PatternAssociation
{
    /// <summary>Inputs.</summary>
    public const int Inputs = 100;
    /// <summary>Pattern window, ms.</summary>
    public const double WindowMs = 100;
    /// <summary>Trial length (window plus silence), ms.</summary>
    public const double TrialMs = 300;
    /// <summary>Time step, ms.</summary>
    public const double DtMs = 0.5;
    /// <summary>Largest weight of an input synapse.</summary>
    public const float WMax = 0.1f;
    /// <summary>Rate of the running mean of rewards per pattern.</summary>
    public const double CriticRate = 0.1;
    /// <summary>Rates of an input inside and outside a pattern's half, Hz.</summary>
    public const double ActiveHz = 40, QuietHz = 2;
    /// <summary>Weight of the mutual inhibition between outputs.</summary>
    public const float Inhibition = -5f;

    /// <summary>The network, the pattern shown in each trial, the outputs and the dopamine.</summary>
    public sealed record Setup(Network Network, Population Outputs, Projection Learning, int[] TrialPatterns, Neuromodulator Dopamine);

    /// <summary>
    /// Builds <paramref name="trials"/> trials of <paramref name="patterns"/> patterns from <paramref name="seed"/>;
    /// <paramref name="learningRate"/> 0 gives the control without learning.
    /// </summary>
    public static Setup Build(int patterns, int trials, ulong seed, double learningRate = 0.0005)
    {
        if (patterns < 2 || patterns > 10) throw new InvalidParameterException($"--patterns must lie in 2..10 (got {patterns}).");
        if (trials < 1 || trials > 100_000) throw new InvalidParameterException($"--trials must lie in 1..100000 (got {trials}).");
        // Patterns, trial schedule and initial weights each draw from a stream of their own, so the weights and the
        // patterns of a seed are the same whatever the number of trials.
        var rng = new Xoshiro256(CounterRng.Hash(seed, 1, 0));
        var frozen = Enumerable.Range(0, patterns).Select(_ =>
        {
            var spikes = new List<(int, double)>();
            for (var i = 0; i < Inputs; i++)
            {
                var meanInterval = 1000 / (rng.NextDouble() < 0.5 ? ActiveHz : QuietHz);
                for (var t = -meanInterval * Math.Log(1 - rng.NextDouble()); t < WindowMs; t += -meanInterval * Math.Log(1 - rng.NextDouble()))
                    spikes.Add((i, t));
            }
            return spikes;
        }).ToArray();
        var order = new Xoshiro256(CounterRng.Hash(seed, 2, 0));
        var shown = Enumerable.Range(0, trials).Select(_ => order.NextInt(patterns)).ToArray();
        var schedule = shown.SelectMany((p, trial) => frozen[p].Select(s => (s.Item1, trial * TrialMs + s.Item2))).ToList();

        var network = new Network();
        var input = network.AddPopulation("input", Inputs, new SpikeTimeSource(schedule));
        var outputs = network.AddPopulation("output", patterns, new Lif(TauMs: 20, VLeak: 0, VThreshold: 1, VReset: 0, RefractoryMs: 2));
        var dopamine = new Neuromodulator(TauNMs: 50);
        var rule = new ThreeFactorStdp(new PairStdp(APlus: 1, AMinus: 1.05, TauPlusMs: 20, TauMinusMs: 20, WMin: 0, WMax: WMax),
            dopamine, TauCMs: 300, LearningRate: learningRate);
        var initial = new Xoshiro256(CounterRng.Hash(seed, 3, 0));
        var weights = Enumerable.Range(0, Inputs * patterns).Select(_ => (float)(0.04 + 0.02 * initial.NextDouble())).ToArray();
        var learning = network.Connect(input, outputs, new SparseConnectivity(Inputs, patterns,
            Enumerable.Range(0, Inputs + 1).Select(i => i * patterns).ToArray(),
            Enumerable.Range(0, Inputs * patterns).Select(k => k % patterns).ToArray(), weights), delayMs: 1, plasticity: rule);
        var lateral = Enumerable.Range(0, patterns).SelectMany(i => Enumerable.Range(0, patterns).Where(j => j != i).Select(j => (i, j, Inhibition))).ToList();
        network.Connect(outputs, outputs, SparseConnectivity.FromTriples(patterns, patterns, lateral), delayMs: 0.5);
        return new Setup(network, outputs, learning, shown, dopamine);
    }

    /// <summary>Counts output spikes in each trial's window and, at its end, releases the reward prediction error.</summary>
    public sealed class Trainer(Setup setup, TimeStepSimulation simulation) : IStepObserver
    {
        private readonly int[] _counts = new int[setup.Outputs.Size];
        private readonly double[] _expected = new double[setup.Outputs.Size];
        private readonly List<bool> _correct = [];

        /// <summary>Whether each completed trial was answered correctly.</summary>
        public IReadOnlyList<bool> Correct => _correct;

        /// <summary>Fraction correct over the last <paramref name="trials"/> completed trials.</summary>
        public double Accuracy(int trials) => _correct.Count == 0 ? 0 : _correct.TakeLast(trials).Average(c => c ? 1.0 : 0.0);

        /// <inheritdoc />
        public void OnStep(IStepView view)
        {
            var windowSteps = (int)Math.Round(WindowMs / view.DtMs);
            var trialSteps = (int)Math.Round(TrialMs / view.DtMs);
            var inTrial = view.Step % trialSteps;
            if (inTrial <= windowSteps)
                foreach (var k in view.Spikes(setup.Outputs)) _counts[k]++;
            if (inTrial != windowSteps) return;
            var trial = view.Step / trialSteps;
            if (trial >= setup.TrialPatterns.Length) return;
            var target = setup.TrialPatterns[trial];
            var best = _counts.Max();
            var correct = best > 0 && _counts[target] == best && _counts.Count(c => c == best) == 1;
            _correct.Add(correct);
            if (best > 0)
            {
                // A tie between firing outputs is wrong; silence decides nothing.
                var reward = correct ? 1.0 : -1.0;
                simulation.Release(setup.Dopamine, reward - _expected[target]);
                _expected[target] += CriticRate * (reward - _expected[target]);
            }
            Array.Clear(_counts);
        }
    }
}
