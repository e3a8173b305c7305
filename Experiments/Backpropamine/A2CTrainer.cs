using TorchSharp;
using static TorchSharp.torch;
using SpikeSim.Learning.Plasticity;
using SpikeSim.Learning.Torch;
using SpikeSim.Learning.Torch.Optimizers;
using SpikeSim.Learning.Torch.Plasticity;

namespace SpikeSim.Experiments.Backpropamine;

/// <summary>
/// Advantage actor-critic through whole episodes (Backpropamine's code): R_t = r_t + γ·R_(t+1);
/// loss = Σ_t [entropy weight·Σ π² − log π(a_t)·(R_t − V_t) + value weight·(R_t − V_t)²] / (batch · T);
/// Adam (<see cref="TorchAdamW"/> with λ = 0: torch.optim.Adam's update), gradient-norm clipping. The network's
/// plasticity is inside the graph, so BPTT learns W, α, η and the modulator together. Every Scalar passed to libtorch
/// is held (see <see cref="HeldScalars"/>).
/// </summary>
public sealed class A2CTrainer : IEpisodeTrainer
{
    private readonly PlasticRnn _net;
    private readonly TorchAdamW _optimizer;
    private readonly CueRewardTask _task;
    private readonly A2CSettings _s;
    private readonly Generator _sampler;

    // The loss's constants as Scalars held for the trainer's life (see HeldScalars: a temporary Scalar can be freed
    // while libtorch still reads it). The values and the ops are as before.
    private readonly Scalar _batch, _gamma, _entropyWeight, _valueWeight, _length;

    private static readonly object InitGate = new();

    public A2CTrainer(PlasticityRule rule, int cues, int seed, A2CSettings settings)
    {
        _s = settings;
        _task = new CueRewardTask(settings.Batch, cues, (ulong)seed * 7919 + 1);
        // Initial weights come from torch's global generator: seed and draw under a lock, so runs built on
        // several threads at once still start from their own seed's weights.
        lock (InitGate)
        {
            random.manual_seed(seed);
            _net = new PlasticRnn(_task.InputSize, settings.Hidden, 2, rule);
        }
        _optimizer = new TorchAdamW(_net.parameters(), settings.LearningRate);
        _sampler = new Generator(seed: (ulong)seed);
        (_batch, _gamma, _entropyWeight, _valueWeight, _length) = (settings.Batch.ToScalar(), settings.Gamma.ToScalar(),
            settings.EntropyWeight.ToScalar(), settings.ValueWeight.ToScalar(), _task.EpisodeLength.ToScalar());
    }

    public PlasticRnn Network => _net;

    /// <summary>Runs and learns from one episode.</summary>
    public EpisodeResult Episode(int index)
    {
        using var scope = NewDisposeScope();
        _task.Reset();
        var state = _net.Initial(_s.Batch);
        var logProbs = new List<Tensor>();
        var values = new List<Tensor>();
        var rewards = new List<float[]>();
        var entropy = zeros(1);
        for (var t = 0; t < _task.EpisodeLength; t++)
        {
            var x = tensor(_task.Observe()).reshape(_s.Batch, _task.InputSize);
            var (logits, value, _, next) = _net.Step(x, state);
            state = next;
            var probs = nn.functional.softmax(logits, 1);
            var actions = multinomial(probs.detach(), 1, generator: _sampler).squeeze(1);
            logProbs.Add(nn.functional.log_softmax(logits, 1).gather(1, actions.unsqueeze(1)).squeeze(1));
            values.Add(value);
            entropy = entropy.add(probs.pow(HeldScalars.Two).sum() / _batch, HeldScalars.One);
            rewards.Add(_task.Act(actions.data<long>().ToArray()));
        }
        var loss = _entropyWeight * entropy;
        var valueLoss = zeros(1);
        var r = zeros(_s.Batch);
        var total = new double[_s.Batch];
        for (var t = _task.EpisodeLength - 1; t >= 0; t--)
        {
            r = (_gamma * r).add(tensor(rewards[t]), HeldScalars.One);
            var advantage = r - values[t];
            valueLoss = valueLoss.add(advantage.pow(HeldScalars.Two).sum() / _batch, HeldScalars.One);
            loss = loss - (logProbs[t] * advantage.detach()).sum() / _batch;
            for (var b = 0; b < _s.Batch; b++) total[b] += rewards[t][b];
        }
        loss = loss.add(_valueWeight * valueLoss, HeldScalars.One) / _length;
        _optimizer.ZeroGrad();
        loss.backward();
        nn.utils.clip_grad_norm_(_net.parameters(), _s.GradientClip);
        _optimizer.Step();
        return new EpisodeResult(index, total.Average(), _task.TrialsJudged.Average());
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        _net.Dispose();
        _sampler.Dispose();
        foreach (var scalar in new[] { _batch, _gamma, _entropyWeight, _valueWeight, _length }) scalar.Dispose();
    }
}
