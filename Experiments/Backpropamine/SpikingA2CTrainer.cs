using SpikeSim.Learning.Optimizers;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Random;
using SpikeSim.Learning.Plasticity;

namespace SpikeSim.Experiments.Backpropamine;

/// <summary>
/// Trains a <see cref="SpikingPlasticRnn"/> on the <see cref="CueRewardTask"/> by advantage actor-critic through
/// whole episodes (<see cref="A2CLoss"/>), Adam and gradient-norm clipping — the loop of Backpropamine's code,
/// with the network on the compute core and its BPTT written by hand.
/// </summary>
public sealed class SpikingA2CTrainer : IEpisodeTrainer
{
    private const int ActionCount = 2;
    private readonly IComputeBackend _backend;
    private readonly CueRewardTask _task;
    private readonly A2CSettings _s;
    private readonly IOptimizer _optimizer;
    private readonly Xoshiro256 _sampler;
    private readonly float[] _heads, _gradHeads, _rewards;
    private readonly int[] _actions;

    public SpikingA2CTrainer(IComputeBackend backend, SpikingPlasticVariant variant, int cues, int seed, A2CSettings settings, SpikingPlasticSettings neurons)
    {
        (_backend, _s) = (backend, settings);
        _task = new CueRewardTask(settings.Batch, cues, (ulong)seed * 7919 + 1);
        Network = new SpikingPlasticRnn(backend, _task.InputSize, settings.Hidden, ActionCount, settings.Batch, _task.EpisodeLength, variant, neurons, seed);
        _optimizer = new Adam(backend, Network.Parameters, new OptimizerSettings(settings.LearningRate));
        _sampler = new Xoshiro256((ulong)seed * 31 + 7);
        var rows = _task.EpisodeLength * settings.Batch;
        (_heads, _gradHeads) = (new float[rows * Network.Heads], new float[rows * Network.Heads]);
        (_rewards, _actions) = (new float[rows], new int[rows]);
    }

    /// <summary>The task the network is trained on.</summary>
    public CueRewardTask Task => _task;

    /// <summary>The network being trained.</summary>
    public SpikingPlasticRnn Network { get; }

    /// <summary>Runs and learns from one episode.</summary>
    public EpisodeResult Episode(int index)
    {
        var (batch, k, steps) = (_s.Batch, Network.Heads, _task.EpisodeLength);
        _task.Reset();
        Network.Begin();
        var chosen = new long[batch];
        for (var t = 0; t < steps; t++)
        {
            var heads = _heads.AsSpan(t * batch * k, batch * k);
            Network.Step(_task.Observe(), heads);
            for (var b = 0; b < batch; b++)
            {
                var (l0, l1) = (heads[b * k], heads[b * k + 1]);
                var p1 = 1 / (1 + Math.Exp(l0 - l1));
                chosen[b] = _sampler.NextDouble() < p1 ? 1 : 0;
                _actions[t * batch + b] = (int)chosen[b];
            }
            _task.Act(chosen).CopyTo(_rewards.AsSpan(t * batch, batch));
        }
        A2CLoss.Gradients(_heads, _actions, _rewards, steps, batch, k, ActionCount, _s, _gradHeads);
        Network.Backward(_gradHeads);
        GradientClipping.ClipByNorm(_backend, Network.Parameters, _s.GradientClip);
        _optimizer.Step();
        var total = new double[batch];
        for (var i = 0; i < _rewards.Length; i++) total[i % batch] += _rewards[i];
        return new EpisodeResult(index, total.Average(), _task.TrialsJudged.Average());
    }

    /// <summary>Mean spikes per neuron and step over the last episode (to see that the network is not silent or saturated).</summary>
    public double MeanRate()
    {
        double sum = 0;
        for (var t = 0; t < Network.Steps; t++) sum += Network.Spikes(t).Sum();
        return sum / (Network.Steps * (double)Network.Batch * Network.Hidden);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _optimizer.Dispose();
        Network.Dispose();
    }
}
