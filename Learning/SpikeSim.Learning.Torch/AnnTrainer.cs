using SpikeSim.Learning.Data;
using SpikeSim.Learning.Encoders;
using SpikeSim.Learning.Grapes;
using SpikeSim.Learning.Optimizers;
using SpikeSim.Learning.Training;
using SpikeSim.Learning.Torch.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

namespace SpikeSim.Learning.Torch;

/// <summary>
/// Trains an <see cref="AnnClassifier"/> on the same data, batch order (<see cref="Trainer.BatchOrder"/>),
/// optimiser settings and GRAPES factor math as the SNN <see cref="Trainer"/>, with softmax cross-entropy.
/// </summary>
public sealed class AnnTrainer : IEpochTrainer
{
    private const int EvaluationBatch = 512;
    private readonly AnnClassifier _model;
    private readonly TorchOptimizer _optimizer;
    private readonly TrainingOptions _options;
    private readonly IEncoder _encoder;
    private readonly AnnModelSpec _spec;

    public AnnTrainer(AnnModelSpec spec, TrainingOptions options)
    {
        _spec = spec;
        _options = options;
        random.manual_seed(options.Seed);
        _model = spec.Recurrent ? new Rnn(spec, options.Seed) : spec.Convolution is not null ? new Cnn(spec, options.Seed) : new Mlp(spec, options.Seed);
        _encoder = Encoder.Create(options.Encoder);
        var s = options.Settings;
        _optimizer = options.Optimizer switch
        {
            OptimizerKind.Adam => new TorchAdamW(_model.parameters(), s.LearningRate, s.Beta1, s.Beta2, s.Epsilon, s.WeightDecay),
            OptimizerKind.Sgd => new TorchSgd(_model.parameters(), s.LearningRate, s.Momentum, s.WeightDecay),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Optimizer, null),
        };
    }

    /// <summary>The model being trained.</summary>
    public AnnClassifier Model => _model;

    /// <inheritdoc />
    public (double Loss, double Accuracy) TrainEpoch(Dataset train, int epoch, IProgress<BatchProgress>? progress = null)
    {
        _optimizer.LearningRate = _options.LearningRateAt(epoch);
        _model.train();
        var order = Trainer.BatchOrder(_options.Seed, epoch, train.Count);
        double lossSum = 0;
        var correct = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int start = 0, batchIndex = 0; start < train.Count; start += _options.Batch, batchIndex++)
        {
            using var scope = NewDisposeScope();
            var indices = order.AsSpan(start, Math.Min(_options.Batch, train.Count - start)).ToArray();
            var seed = Simulator.Random.CounterRng.Hash((ulong)_options.Seed, 2, (uint)(epoch * 65_536 + batchIndex));
            var (x, y) = Batch(train, indices, seed);
            if (_options.Grapes is { Variant: GrapesVariant.Propagating }) _model.Factors = FactorTensors();
            _optimizer.ZeroGrad();
            var logits = _model.forward(x);
            var loss = nn.functional.cross_entropy(logits, y);
            loss.backward();
            _model.Factors = null;
            if (_options.Grapes is { Variant: GrapesVariant.Local }) ScaleGradientRows();
            if (_options.ClipNorm > 0) nn.utils.clip_grad_norm_(_model.parameters(), _options.ClipNorm);
            _optimizer.Step();
            lossSum += loss.item<float>() * indices.Length;
            correct += (int)logits.argmax(1).eq(y).sum().item<long>();
            var done = start + indices.Length;
            progress?.Report(new BatchProgress(epoch, done, train.Count, lossSum / done, (double)correct / done, done / clock.Elapsed.TotalSeconds));
        }
        return (lossSum / train.Count, (double)correct / train.Count);
    }

    /// <inheritdoc />
    public Evaluation Evaluate(Dataset data)
    {
        _model.eval();
        using var _ = no_grad();
        double lossSum = 0;
        var correct = 0;
        for (var start = 0; start < data.Count; start += EvaluationBatch)
        {
            using var scope = NewDisposeScope();
            var indices = Enumerable.Range(start, Math.Min(EvaluationBatch, data.Count - start)).ToArray();
            var (x, y) = Batch(data, indices, Simulator.Random.CounterRng.Hash((ulong)_options.Seed, 3, (uint)start));
            var logits = _model.forward(x);
            lossSum += nn.functional.cross_entropy(logits, y).item<float>() * indices.Length;
            correct += (int)logits.argmax(1).eq(y).sum().item<long>();
        }
        return new Evaluation(lossSum / data.Count, (double)correct / data.Count, 0);
    }

    /// <summary>The GRAPES factors of every affine layer from the current weights (the shared factor math).</summary>
    public float[][] ComputeFactors()
    {
        var layers = _model.Affine;
        var result = new float[layers.Count][];
        for (var l = 0; l < layers.Count; l++)
        {
            var importance = new double[layers[l].weight!.shape[0]];
            if (_options.Grapes!.Importance == ImportanceSource.Outgoing && l + 1 < layers.Count)
            {
                var next = layers[l + 1].weight!;
                GrapesFactors.AddOutgoing(next.data<float>().ToArray(), (int)next.shape[0], (int)next.shape[1], importance);
            }
            else
            {
                var w = layers[l].weight!;
                GrapesFactors.AddIncoming(w.data<float>().ToArray(), (int)w.shape[0], (int)w.shape[1], importance);
            }
            result[l] = GrapesFactors.Factors(importance);
        }
        return result;
    }

    private Tensor[] FactorTensors() => ComputeFactors().Select(f => tensor(f)).ToArray();

    private void ScaleGradientRows()
    {
        using var _ = no_grad();
        var factors = FactorTensors();
        for (var l = 0; l < factors.Length; l++)
        {
            var layer = _model.Affine[l];
            layer.weight!.grad!.mul_(factors[l].unsqueeze(1));
            layer.bias?.grad?.mul_(factors[l]);
        }
    }

    private (Tensor X, Tensor Y) Batch(Dataset data, int[] indices, ulong seed)
    {
        var labels = tensor(indices.Select(i => (long)data.Labels[i]).ToArray());
        if (!_spec.Recurrent)
        {
            var x = new float[indices.Length * data.Features];
            for (var b = 0; b < indices.Length; b++) data.Sample(indices[b]).CopyTo(x.AsSpan(b * data.Features));
            return (tensor(x).reshape(indices.Length, data.Features), labels);
        }
        var encoded = new float[_options.Steps * indices.Length * data.Features];
        _encoder.Encode(data, indices, _options.Steps, encoded, seed);
        return (tensor(encoded).reshape(_options.Steps, indices.Length, data.Features), labels);
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        _model.Dispose();
    }
}
