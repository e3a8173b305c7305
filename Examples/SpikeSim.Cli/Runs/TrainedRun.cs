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

    public static TrainedRunResult Evaluate(string path, TaskKind task, IComputeBackend backend, IProgress<int>? progress, out int samples)
    {
        var (network, spec, options, trainedOn) = Open(path, backend);
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
    private static (SpikingNetwork Network, SnnModelSpec Spec, TrainingOptions Options, TaskKind? Task) Open(string path, IComputeBackend backend)
    {
        if (Checkpoint.IsCheckpoint(path))
        {
            var header = Checkpoint.ReadHeader(path);
            var network = header.Model.Build(backend, 0);
            Checkpoint.Restore(path, network, optimizer: null);
            return (network, header.Model, header.Options, header.Task);
        }
        if (TrainedExport.IsHdf5(path))
        {
            var graph = NirFile.Read(path);
            var (spec, network) = TrainedNir.ToNetwork(graph, backend);
            string Meta(string key) => graph.Metadata.TryGetValue(key, out var value) ? value
                : throw new InvalidParameterException($"{path} does not say its '{key}' (a NIR file written by SpikeSim does, in its metadata); it cannot be evaluated.");
            var options = Evaluation(int.Parse(Meta("steps"), CultureInfo.InvariantCulture), OptionName.Parse<EncoderKind>(Meta("encoder"), "encoder"),
                OptionName.Parse<LossKind>(Meta("readout"), "readout"), graph.Metadata.TryGetValue("seed", out var seed) ? int.Parse(seed, CultureInfo.InvariantCulture) : 1);
            return (network, spec, options, graph.Metadata.TryGetValue("task", out var task) ? OptionName.Parse<TaskKind>(task, "task") : null);
        }
        var file = TrainedExport.TryParse(path)!;
        var (fileSpec, fileNetwork, record) = TrainedModelFile.Read(file, backend);
        return (fileNetwork, fileSpec, Evaluation((int)record.Steps, OptionName.Parse<EncoderKind>(record.Encoder, "encoder"),
            OptionName.Parse<LossKind>(record.Loss, "loss"), (int)record.Seed), OptionName.Parse<TaskKind>(record.Task, "task"));
    }

    private static TrainingOptions Evaluation(int steps, EncoderKind encoder, LossKind loss, int seed)
        => new(steps, 1, 1, seed, loss, encoder, OptimizerKind.Adam, new OptimizerSettings(1e-3f));
}
