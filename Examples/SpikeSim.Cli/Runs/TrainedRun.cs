using System.Diagnostics;
using System.Globalization;
using SpikeSim.Export;
using SpikeSim.Export.Nir;
using SpikeSim.Export.Recordings;
using SpikeSim.Learning.Encoders;
using SpikeSim.Learning.Layers;
using SpikeSim.Learning.Losses;
using SpikeSim.Learning.Optimizers;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Recording;

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
        var opened = Open(path, backend, reader, task, overrides ?? new RunOverrides(null, null, null));
        using (opened.Owner)
        {
            var test = Test(path, task, opened);
            samples = test.Count;
            var clock = Stopwatch.StartNew();
            var accuracy = opened.Classifier.Accuracy(backend, test, opened.Options, progress);
            return new TrainedRunResult(accuracy, test.Count, clock.Elapsed.TotalSeconds, opened.Architecture);
        }
    }

    /// <summary>
    /// Runs test sample <paramref name="sample"/> of <paramref name="task"/> through the classifier in <paramref name="path"/>
    /// with the recordings <paramref name="request"/> names for its network (populations <c>hidden_k</c> and <c>output</c>),
    /// written to their HDF5 file; returns the sample's label and the class the readout gives.
    /// </summary>
    public static (int Label, int Prediction, int Steps) RecordSample(string path, TaskKind task, IComputeBackend backend, int sample,
        Func<Network, double, (IReadOnlyList<Recording> Recordings, string Path)> request, NirDialect? reader = null, RunOverrides? overrides = null)
    {
        var opened = Open(path, backend, reader, task, overrides ?? new RunOverrides(null, null, null));
        using (opened.Owner)
        {
            var test = Test(path, task, opened);
            if (sample < 0 || sample >= test.Count)
                throw new InvalidParameterException($"--sample {sample}: {OptionName.Of(task)}'s test split has samples 0 to {test.Count - 1}.");
            var classifier = opened.Classifier;
            var (recordings, file) = request(classifier.Network, classifier.DtMs);
            var options = opened.Options;
            var rows = new float[options.Steps * classifier.Output.Size];
            var prediction = -1;
            SimulatedClassifier.ForEachEncoded(test, options, (index, encoded) =>
            {
                if (index != sample) return;
                using var recording = new RecordingFile(file, recordings);
                var description = "";
                classifier.Run(backend, encoded, options.Steps, rows, simulation =>
                {
                    simulation.Record(recordings, recording);
                    description = simulation.Description;
                });
                recording.Complete(new RunDescription(OptionName.Of(EngineKind.Step), description, classifier.DtMs, options.Steps * classifier.DtMs, (ulong)options.Seed));
                prediction = SimulatedClassifier.PredictionOf(rows, options, test.Labels[index]);
            });
            return (test.Labels[sample], prediction, options.Steps);
        }
    }

    /// <summary>The test split of <paramref name="task"/>, checked against what the classifier takes.</summary>
    private static Learning.Data.Dataset Test(string path, TaskKind task, Opened opened)
    {
        if (opened.Task is { } known && known != task)
            throw new InvalidParameterException($"{path} was trained on {OptionName.Of(known)}; run it with --data {OptionName.Of(known)}.");
        var test = TrainingTasks.Load(task, null, Learning.Data.Mnist.DefaultCache, m => Console.Error.WriteLine(m)).Test;
        var (inputs, classes) = (opened.Classifier.Input.Width, opened.Classifier.Output.Size);
        if (test.Features != inputs || test.Classes != classes)
            throw new InvalidParameterException($"{path} takes {inputs} inputs and {classes} classes; {OptionName.Of(task)} has {test.Features} and {test.Classes}.");
        return test;
    }

    /// <summary>A classifier as a simulator network, what it is, how to evaluate it, the task it was trained on (where known) and what holds its buffers.</summary>
    private sealed record Opened(SimulatedClassifier Classifier, string Architecture, TrainingOptions Options, TaskKind? Task, IDisposable? Owner);

    /// <summary>
    /// The classifier in <paramref name="path"/>: a checkpoint's or model file's trained network as the simulator runs it, or a
    /// NIR chain of any of <see cref="NirChain.Cells"/> read with <paramref name="reader"/>'s rules.
    /// </summary>
    private static Opened Open(string path, IComputeBackend backend, NirDialect? reader, TaskKind task, RunOverrides overrides)
    {
        if (Checkpoint.IsCheckpoint(path))
        {
            var header = Checkpoint.ReadHeader(path);
            var network = header.Model.Build(backend, 0);
            Checkpoint.Restore(path, network, optimizer: null);
            return new Opened(SimulatedClassifier.From(network, header.Model.DtMs), header.Model.ToString(), overrides.Apply(header.Options), header.Task, network);
        }
        if (TrainedExport.IsHdf5(path))
        {
            var graph = NirFile.Read(path);
            // A file from another framework states none of these: the task's defaults stand in, and the spike count
            // (a spiking readout) or the maximum membrane (an LI readout) decides the class.
            var defaults = TrainingTasks.Defaults(task);
            var m = graph.Metadata;
            TrainingOptions Options(bool spikingReadout) => overrides.Apply(Evaluation(
                m.TryGetValue("steps", out var steps) ? int.Parse(steps, CultureInfo.InvariantCulture) : defaults.Steps,
                m.TryGetValue("encoder", out var encoder) ? OptionName.Parse<EncoderKind>(encoder, "encoder") : defaults.Encoder,
                m.TryGetValue("readout", out var loss) ? OptionName.Parse<LossKind>(loss, "readout") : spikingReadout ? LossKind.CeCount : LossKind.CeMax,
                m.TryGetValue("seed", out var seed) ? int.Parse(seed, CultureInfo.InvariantCulture) : 1));
            TaskKind? trainedOn = m.TryGetValue("task", out var trained) ? OptionName.Parse<TaskKind>(trained, "task") : null;
            var chain = NirChain.Read(graph, reader ?? NirDialect.Generic);
            return new Opened(chain.ToSimulatedClassifier(), chain.ToString(), Options(chain.Layers[^1].Cell.Spikes), trainedOn, null);
        }
        var file = TrainedExport.TryParse(path)!;
        var (fileSpec, fileNetwork, record) = TrainedModelFile.Read(file, backend);
        return new Opened(SimulatedClassifier.From(fileNetwork, fileSpec.DtMs), fileSpec.ToString(), overrides.Apply(Evaluation((int)record.Steps,
            OptionName.Parse<EncoderKind>(record.Encoder, "encoder"), OptionName.Parse<LossKind>(record.Loss, "loss"), (int)record.Seed)),
            OptionName.Parse<TaskKind>(record.Task, "task"), fileNetwork);
    }

    private static TrainingOptions Evaluation(int steps, EncoderKind encoder, LossKind loss, int seed)
        => new(steps, 1, 1, seed, loss, encoder, OptimizerKind.Adam, new OptimizerSettings(1e-3f));
}
