using System.Diagnostics;
using System.Text.Json;
using SpikeSim.Learning.Optimizers;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Learning.Training;

/// <summary>The outcome of a training run.</summary>
public sealed record TrainingResult(IReadOnlyList<EpochMetrics> History, double TestAccuracy, double TrainAccuracy, double Seconds,
    double TapeBytesPerNeuronStep, int ResumedFromEpoch);

/// <summary>
/// A whole run: builds the network, resumes from a checkpoint if asked, trains epoch by epoch,
/// evaluates, and writes a checkpoint after every epoch. A resumed run may ask for more epochs than the
/// checkpoint's run did: it goes on to the new total (every other option must match).
/// </summary>
public static class TrainingSession
{
    /// <summary>Runs <paramref name="options"/>.Epochs epochs (fewer when resuming).</summary>
    /// <remarks>
    /// <c>checkpoint</c> is the file written after every epoch (or null); with <c>resume</c> the run continues from
    /// it (it must exist), otherwise it must not exist yet.
    /// </remarks>
    public static TrainingResult Run(IComputeBackend backend, TaskKind task, TaskData data, SnnModelSpec model, TrainingOptions options,
        string? checkpoint, bool resume, Action<EpochMetrics>? onEpoch = null, IProgress<BatchProgress>? progress = null)
    {
        var path = checkpoint;
        CheckCheckpoint(path, resume);
        using var network = model.Build(backend, options.Seed);
        using var optimizer = Optimizer.Create(options.Optimizer, backend, network.Parameters, options.Settings);
        using var trainer = new Trainer(network, optimizer, options);
        var history = new List<EpochMetrics>();
        var first = 0;
        if (resume)
        {
            var header = Checkpoint.ReadHeader(path!);
            RequireSameRun(path!, header, task, model, options);
            Checkpoint.Restore(path!, network, optimizer);
            history.AddRange(header.History);
            first = header.EpochsDone;
        }
        var total = Stopwatch.StartNew();
        EpochLoop.Run(trainer, data, first, options.Epochs, onEpoch, progress, afterEpoch: metrics =>
        {
            history.Add(metrics);
            if (path is not null) Checkpoint.Save(path, task, model, options, metrics.Epoch, history, network, optimizer);
        });
        var last = history.Count > 0 ? history[^1] : null;
        return new TrainingResult(history, last?.TestAccuracy ?? trainer.Evaluate(data.Test).Accuracy, last?.TrainAccuracy ?? double.NaN,
            total.Elapsed.TotalSeconds, network.TapeBytesPerNeuronStep, first);
    }

    private static void CheckCheckpoint(string? path, bool resume)
    {
        if (resume && path is null) throw new CheckpointException("--resume needs --checkpoint FILE, the checkpoint of the run to continue.");
        if (resume && !File.Exists(path) && !Directory.Exists(path)) throw new CheckpointException($"There is no checkpoint to resume at {path}.");
        if (!resume && path is not null && (File.Exists(path) || Directory.Exists(path)))
            throw new CheckpointException($"{path} already exists; pass --resume to continue that run, or choose another --checkpoint file.");
    }

    private static void RequireSameRun(string path, CheckpointHeader header, TaskKind task, SnnModelSpec model, TrainingOptions options)
    {
        // The number of epochs may grow (extending a finished run); every other option must be the run's own.
        string J<T>(T value) => JsonSerializer.Serialize(value, Checkpoint.Json);
        if (header.Task != task || J(header.Model) != J(model) || J(header.Options with { Epochs = 0 }) != J(options with { Epochs = 0 }))
            throw new CheckpointException(
                $"{path} was written by a different run (task {OptionName.Of(header.Task)}, model {header.Model}, seed {header.Options.Seed}); "
                + "resume with the same options (only --epochs may grow), or start a new --checkpoint file.");
        if (header.EpochsDone > options.Epochs)
            throw new CheckpointException($"{path} has already done {header.EpochsDone} epochs; pass --epochs {header.EpochsDone} or more.");
    }
}
