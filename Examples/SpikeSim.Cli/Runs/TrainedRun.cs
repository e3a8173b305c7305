using System.Diagnostics;
using System.Globalization;
using SpikeSim.Export;
using SpikeSim.Export.Nir;
using SpikeSim.Learning.Encoders;
using SpikeSim.Learning.Layers;
using SpikeSim.Learning.Losses;
using SpikeSim.Learning.Optimizers;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Errors;

namespace SpikeSim.Cli.Runs;

/// <summary>Steps, encoder and loss to evaluate a classifier with instead of the ones its file records (null: the file's).</summary>
public sealed record RunOverrides(int? Steps, EncoderKind? Encoder, LossKind? Loss)
{
    /// <summary><paramref name="options"/> with the given values in place of its own.</summary>
    public TrainingOptions Apply(TrainingOptions options)
        => options with { Steps = Steps ?? options.Steps, Encoder = Encoder ?? options.Encoder, Loss = Loss ?? options.Loss };
}

/// <summary>What <c>spikesim run FILE --data TASK</c> measured.</summary>
public sealed record TrainedRunResult(double Accuracy, int Samples, double RunSeconds, string Architecture);

/// <summary>
/// A trained classifier — a training checkpoint, a trained model file or a NIR classifier — evaluated in the time-step
/// engine (<see cref="SimulatedClassifier"/>) on its task's test split, with the steps, encoder, readout and seed it was
/// trained with.
/// </summary>
internal static class TrainedRun
{
    /// <summary>Whether <paramref name="path"/> holds a classifier (by content).</summary>
    public static bool IsClassifier(string path)
        => Checkpoint.IsCheckpoint(path)
           || (TrainedExport.IsHdf5(path) && NirFile.Read(path).Nodes.Any(n => n.Node.Type == "Input"))
           || TrainedExport.TryParse(path)?.Trained is not null;

    /// <summary>The accuracy of the classifier in <paramref name="path"/> on <paramref name="task"/>'s test split.</summary>
    /// <param name="path">A checkpoint, a trained model file or a NIR classifier.</param>
    /// <param name="task">The task whose test split is evaluated.</param>
    /// <param name="backend">Where the simulation runs.</param>
    /// <param name="progress">Samples done, if wanted.</param>
    /// <param name="samples">The number of test samples.</param>
    /// <param name="reader">For a NIR file: whose semantics to read it with (null: the generic ones, from its metadata).</param>
    /// <param name="overrides">Steps, encoder and loss to evaluate with instead of the file's (a NIR file from another framework has none).</param>
    public static TrainedRunResult Evaluate(string path, TaskKind task, IComputeBackend backend, IProgress<int>? progress, out int samples,
        NirDialect? reader = null, RunOverrides? overrides = null)
    {
        var (network, spec, options, trainedOn) = Open(path, backend, reader, task, overrides ?? new RunOverrides(null, null, null));
        using (network)
        {
            if (trainedOn is { } known && known != task)
                throw new InvalidParameterException($"{path} was trained on {OptionName.Of(known)}; run it with --data {OptionName.Of(known)}.");
            var test = TrainingTasks.Load(task, null, Learning.Data.Mnist.DefaultCache, m => Console.Error.WriteLine(m)).Test;
            if (test.Features != spec.Inputs || test.Classes != spec.Classes)
                throw new InvalidParameterException($"{path} takes {spec.Inputs} inputs and {spec.Classes} classes; {OptionName.Of(task)} has {test.Features} and {test.Classes}.");
            samples = test.Count;
            var simulated = SimulatedClassifier.From(network, spec.DtMs);
            var clock = Stopwatch.StartNew();
            var accuracy = simulated.Accuracy(backend, test, options, progress);
            return new TrainedRunResult(accuracy, test.Count, clock.Elapsed.TotalSeconds, spec.ToString());
        }
    }

    /// <summary>The network, its spec, the options evaluation needs (steps, encoder, loss, seed) and the task it was trained on, where known.</summary>
    private static (SpikingNetwork Network, SnnModelSpec Spec, TrainingOptions Options, TaskKind? Task) Open(string path, IComputeBackend backend, NirDialect? reader,
        TaskKind task, RunOverrides overrides)
    {
        if (Checkpoint.IsCheckpoint(path))
        {
            var header = Checkpoint.ReadHeader(path);
            var network = header.Model.Build(backend, 0);
            Checkpoint.Restore(path, network, optimizer: null);
            return (network, header.Model, overrides.Apply(header.Options), header.Task);
        }
        if (TrainedExport.IsHdf5(path))
        {
            var graph = NirFile.Read(path);
            var (spec, network) = TrainedNir.ToNetwork(graph, backend, reader);
            // A file from another framework states none of these: the task's defaults stand in, and the spike count
            // (a spiking readout) or the maximum membrane (an LI readout) decides the class.
            var defaults = TrainingTasks.Defaults(task);
            var m = graph.Metadata;
            var options = overrides.Apply(Evaluation(
                m.TryGetValue("steps", out var steps) ? int.Parse(steps, CultureInfo.InvariantCulture) : defaults.Steps,
                m.TryGetValue("encoder", out var encoder) ? OptionName.Parse<EncoderKind>(encoder, "encoder") : defaults.Encoder,
                m.TryGetValue("readout", out var loss) ? OptionName.Parse<LossKind>(loss, "readout")
                    : spec.Readout == ReadoutKind.Spiking ? LossKind.CeCount : LossKind.CeMax,
                m.TryGetValue("seed", out var seed) ? int.Parse(seed, CultureInfo.InvariantCulture) : 1));
            return (network, spec, options, m.TryGetValue("task", out var trained) ? OptionName.Parse<TaskKind>(trained, "task") : null);
        }
        var file = TrainedExport.TryParse(path)!;
        var (fileSpec, fileNetwork, record) = TrainedModelFile.Read(file, backend);
        return (fileNetwork, fileSpec, overrides.Apply(Evaluation((int)record.Steps, OptionName.Parse<EncoderKind>(record.Encoder, "encoder"),
            OptionName.Parse<LossKind>(record.Loss, "loss"), (int)record.Seed)), OptionName.Parse<TaskKind>(record.Task, "task"));
    }

    private static TrainingOptions Evaluation(int steps, EncoderKind encoder, LossKind loss, int seed)
        => new(steps, 1, 1, seed, loss, encoder, OptimizerKind.Adam, new OptimizerSettings(1e-3f));
}
