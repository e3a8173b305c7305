using SpikeSim.Learning.Data;
using SpikeSim.Learning.Encoders;
using SpikeSim.Learning.Layers;
using SpikeSim.Learning.Losses;
using SpikeSim.Learning.Optimizers;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Random;

namespace SpikeSim.Learning.Training;

/// <summary>Progress within an epoch, reported after every batch.</summary>
public readonly record struct BatchProgress(int Epoch, int SamplesDone, int SamplesTotal, double Loss, double Accuracy, double SamplesPerSecond);

/// <summary>Result of running a network over a data set without training.</summary>
public readonly record struct Evaluation(double Loss, double Accuracy, double HiddenRate);

/// <summary>
/// Mini-batch BPTT: encode a batch, forward all steps, loss on the output, backward, clip, optimiser step.
/// The batch order of epoch e is a permutation seeded by (seed, e) and encoders are keyed on
/// (seed, e, batch), so a run resumed from a checkpoint replays exactly the batches it would have seen.
/// </summary>
public sealed class Trainer : IEpochTrainer
{
    /// <summary>Samples per batch when evaluating (the batches encode with their own seeds, <see cref="EvaluationSeed"/>).</summary>
    public const int EvaluationBatch = 256;
    private readonly IComputeBackend _backend;
    private readonly Grapes.SnnGrapes? _grapes;
    private DeviceBuffer<float>? _input;
    private float[] _inputHost = [];

    /// <summary>Trains <paramref name="network"/> with <paramref name="optimizer"/> (neither owned).</summary>
    public Trainer(SpikingNetwork network, IOptimizer optimizer, TrainingOptions options)
    {
        Network = network;
        Optimizer = optimizer;
        Options = options;
        Loss = Losses.Loss.Create(options.Loss);
        Encoder = Encoders.Encoder.Create(options.Encoder);
        _backend = network.Backend;
        _grapes = options.Grapes is null ? null : new Grapes.SnnGrapes(network, options.Grapes);
    }

    public SpikingNetwork Network { get; }
    public IOptimizer Optimizer { get; }
    public TrainingOptions Options { get; }
    public ILoss Loss { get; }
    public IEncoder Encoder { get; }

    /// <summary>One pass over <paramref name="train"/> in the order of epoch <paramref name="epoch"/>; returns (loss, accuracy).</summary>
    public (double Loss, double Accuracy) TrainEpoch(Dataset train, int epoch, IProgress<BatchProgress>? progress = null)
    {
        Optimizer.LearningRate = Options.LearningRateAt(epoch);
        var order = BatchOrder(Options.Seed, epoch, train.Count);
        double lossSum = 0;
        var correct = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int start = 0, batchIndex = 0; start < train.Count; start += Options.Batch, batchIndex++)
        {
            var indices = order.AsSpan(start, Math.Min(Options.Batch, train.Count - start));
            var seed = CounterRng.Hash((ulong)Options.Seed, 2, (uint)(epoch * 65_536 + batchIndex));
            var (loss, hits, gradient) = Step(train, indices, seed, training: true);
            if (_grapes is null) Network.Backward(gradient);
            else _grapes.Backward(gradient);
            if (Options.ClipNorm > 0) GradientClipping.ClipByNorm(_backend, Network.Parameters, Options.ClipNorm);
            Optimizer.Step();
            lossSum += loss * indices.Length;
            correct += hits;
            var done = start + indices.Length;
            progress?.Report(new BatchProgress(epoch, done, train.Count, lossSum / done, (double)correct / done, done / clock.Elapsed.TotalSeconds));
        }
        return (lossSum / train.Count, (double)correct / train.Count);
    }

    /// <summary>The order of the samples in epoch <paramref name="epoch"/>: the same for every model trained with <paramref name="seed"/>.</summary>
    public static int[] BatchOrder(int seed, int epoch, int count) => Dataset.Permutation(count, CounterRng.Hash((ulong)seed, 1, (uint)epoch));

    /// <summary>Loss, accuracy and mean hidden firing probability per step on <paramref name="data"/> (no training).</summary>
    public Evaluation Evaluate(Dataset data)
    {
        double lossSum = 0;
        var correct = 0;
        var all = Enumerable.Range(0, data.Count).ToArray();
        for (var start = 0; start < data.Count; start += EvaluationBatch)
        {
            var indices = all.AsSpan(start, Math.Min(EvaluationBatch, data.Count - start));
            var (loss, hits, _) = Step(data, indices, EvaluationSeed(Options.Seed, start), training: false);
            lossSum += loss * indices.Length;
            correct += hits;
        }
        return new Evaluation(lossSum / data.Count, (double)correct / data.Count, LastHiddenRate);
    }

    /// <summary>The encoder's seed of the evaluation batch that starts at sample <paramref name="start"/>.</summary>
    public static ulong EvaluationSeed(int seed, int start) => CounterRng.Hash((ulong)seed, 3, (uint)start);

    /// <summary>Mean spike probability per neuron and step of the first hidden layer in the last batch.</summary>
    public double LastHiddenRate { get; private set; }

    private (double Loss, int Correct, float[] Gradient) Step(Dataset data, ReadOnlySpan<int> indices, ulong seed, bool training)
    {
        var batch = indices.Length;
        var cells = Options.Steps * batch * data.Features;
        if (_inputHost.Length < cells) _inputHost = new float[cells];
        Encoder.Encode(data, indices, Options.Steps, _inputHost, seed);
        if (_input is null || _input.Length < cells)
        {
            _input?.Dispose();
            _input = _backend.Allocate<float>(cells);
        }
        _input.CopyFrom(_inputHost.AsSpan(0, cells));
        var output = Network.Forward(_input.View, Options.Steps, batch);
        _backend.Synchronize();
        var y = new float[output.Length];
        ILGPU.Runtime.ArrayViewExtensions.CopyToCPU(output, y);
        var labels = new int[batch];
        for (var b = 0; b < batch; b++) labels[b] = data.Labels[indices[b]];
        var gradient = new float[y.Length];
        var predictions = new int[batch];
        var loss = Loss.Evaluate(y, Options.Steps, batch, Network.Outputs, labels, gradient, predictions);
        if (!training) LastHiddenRate = HiddenRate(batch);
        var correct = 0;
        for (var b = 0; b < batch; b++) if (predictions[b] == labels[b]) correct++;
        return (loss, correct, gradient);
    }

    private double HiddenRate(int batch)
    {
        // The first layer of neurons (a convolutional network's first layers are convolution and pooling).
        if (Network.Layers.Count < 2 || Network.Layers.OfType<ISpikingLayer>().FirstOrDefault() is not { } first) return 0;
        var cells = Options.Steps * batch * first.Outputs;
        using var spikes = _backend.Allocate<float>(cells);
        first.RecomputeOutput(new LayerContext(_backend, Network.Gemm, Options.Steps, batch), spikes.View);
        _backend.Synchronize();
        double sum = 0;
        foreach (var s in spikes.HostSpanOrCopy()) sum += s;
        return sum / cells;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _input?.Dispose();
        _grapes?.Dispose();
    }
}
