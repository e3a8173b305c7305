using SpikeSim.Cli.Commands;
using SpikeSim.Cli.Output;
using SpikeSim.Export;
using SpikeSim.Export.Nir;
using SpikeSim.Export.Proto;
using SpikeSim.Learning.Quantisation;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Files;

namespace SpikeSim.Cli.Runs;

/// <summary>Export, quantisation report and inspection of trained classifiers.</summary>
internal static class TrainedExport
{
    /// <summary>A training checkpoint, or a folder (which the checkpoint reader names as SpikeSim 0.1's form).</summary>
    public static bool IsCheckpoint(string path) => Checkpoint.IsCheckpoint(path) || Directory.Exists(path);

    public static bool IsTrainedModelFile(string path) => TryParse(path)?.Trained is not null;

    /// <summary>The model file at <paramref name="path"/>, or null where it is missing, a checkpoint or not a model file.</summary>
    public static ModelFile? TryParse(string path)
    {
        if (!File.Exists(path) || IsCheckpoint(path)) return null;
        return ModelFileCodec.TryDecode(InputFile.ReadAllBytes(path, "model file"));
    }

    /// <summary>Writes a checkpoint's classifier, quantised for <paramref name="target"/> where given, with the report.</summary>
    /// <param name="checkpoint">The training checkpoint.</param>
    /// <param name="output">The file to write.</param>
    /// <param name="target">The hardware to quantise for, if any.</param>
    /// <param name="dataFolder">MNIST's IDX folder, for the quantisation report.</param>
    /// <param name="json">Where to write the summary, if anywhere.</param>
    /// <param name="nir">The NIR consumer to write for; null writes a SpikeSim model file.</param>
    public static int Run(string checkpoint, string output, QuantisationTarget? target, string? dataFolder, string? json, NirDialect? nir)
    {
        if (nir is not null && target is not null)
            throw new InvalidParameterException("NIR has no quantisation fields; quantise into the SpikeSim format (--format spikesim --target T).");
        var header = Checkpoint.ReadHeader(checkpoint);
        using var backend = new HostBackend();
        using var network = header.Model.Build(backend, 0);
        Checkpoint.Restore(checkpoint, network, optimizer: null);
        QuantisedModel? quantised = null;
        QuantisationReport? report = null;
        if (target is { } t)
        {
            quantised = QuantisedModel.From(t, header.Model, network);
            var test = TrainingTasks.Load(header.Task, dataFolder, Learning.Data.Mnist.DefaultCache, m => Console.Error.WriteLine(m)).Test;
            using var q = quantised.Build(backend);
            report = QuantisedModel.Compare(network, q, test, header.Options);
            Console.WriteLine($"{OptionName.Of(t)}: test accuracy {report.FloatAccuracy:P2} float → {report.QuantisedAccuracy:P2} quantised " +
                              $"(drop {report.DropPoints:0.00} points); hidden spikes agree in {report.SpikeAgreement:P2} of (sample, step, neuron) cells " +
                              $"({report.FloatSpikes} float, {report.QuantisedSpikes} quantised spikes); {test.Count} test samples");
        }
        if (nir is not null) NirFile.Write(TrainedNir.FromNetwork(header, network, nir), output);
        else NetworkExporter.Write(TrainedModelFile.ToModelFile(header, network, quantised, report), output);
        Console.WriteLine($"wrote {output}: trained {OptionName.Of(header.Task)} classifier {header.Model}" + AsNir(nir) + (target is null ? "" : $", with {OptionName.Of(target.Value)} formats"));
        WriteJson(json, header, target, output, report);
        return 0;
    }

    private static void WriteJson(string? json, CheckpointHeader header, QuantisationTarget? target, string? output, QuantisationReport? report)
    {
        if (json is not null)
            JsonFile.Write(json, new
            {
                task = OptionName.Of(header.Task), model = header.Model.ToString(), target = target is { } named ? OptionName.Of(named) : null, output,
                float_accuracy = report?.FloatAccuracy, quantised_accuracy = report?.QuantisedAccuracy, drop_points = report?.DropPoints,
                spike_agreement = report?.SpikeAgreement, float_spikes = report?.FloatSpikes, quantised_spikes = report?.QuantisedSpikes,
            });
    }

    /// <summary>Reads a trained model file and writes it again, as a model file or (<paramref name="nir"/> given) as NIR.</summary>
    public static int Rewrite(string path, string output, NirDialect? nir)
    {
        var file = TrainedModelFile.Parse(InputFile.ReadAllBytes(path, "model file"));
        using var backend = new HostBackend();
        var (spec, network, record) = TrainedModelFile.Read(file, backend);
        using (network)
        {
            if (nir is null) NetworkExporter.Write(file, output);
            else
            {
                var run = new ClassifierRun(OptionName.Parse<TaskKind>(record.Task, "task"), (int)record.Steps, OptionName.Parse<Learning.Encoders.EncoderKind>(record.Encoder, "encoder"),
                    OptionName.Parse<Learning.Losses.LossKind>(record.Loss, "loss"), (int)record.Seed);
                NirFile.Write(TrainedNir.FromNetwork(spec, run, network, nir), output);
            }
        }
        Console.WriteLine($"wrote {output}: trained classifier {spec}" + AsNir(nir));
        return 0;
    }

    /// <summary>
    /// A NIR classifier of the shape SpikeSim trains (<see cref="TrainedNir.ToNetwork"/>) written again: as a model file,
    /// or as NIR for another consumer (<paramref name="nir"/>). How it is run — task, steps, encoder, readout, seed — comes
    /// from the file's metadata, as SpikeSim writes it; a file that does not state them is refused, naming the first missing.
    /// The model file's training record says the classifier was imported: no optimiser, no epochs.
    /// </summary>
    public static int FromNir(string path, NirGraph graph, string output, NirDialect? nir)
    {
        // How it is run first: a file that does not say (another framework's) is refused before its cells are read.
        string Stated(string key) => graph.Metadata.TryGetValue(key, out var value) ? value
            : throw new InvalidParameterException($"{path} does not state its '{key}' in its metadata (SpikeSim's NIR files do; other frameworks' do not), " +
                                                  $"which a model file records with the classifier; spikesim run {path} --data TASK evaluates it as it is.");
        int Count(string key) => int.TryParse(Stated(key), System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 ? n
            : throw new InvalidParameterException($"{path}: the metadata '{key}' is '{Stated(key)}', not a positive whole number.");
        var run = new ClassifierRun(OptionName.Parse<TaskKind>(Stated("task"), "task"), Count("steps"), OptionName.Parse<Learning.Encoders.EncoderKind>(Stated("encoder"), "encoder"),
            OptionName.Parse<Learning.Losses.LossKind>(Stated("readout"), "readout"), Count("seed"));
        using var backend = new HostBackend();
        var (spec, network) = TrainedNir.ToNetwork(graph, backend);
        using (network)
        {
            if (nir is not null) NirFile.Write(TrainedNir.FromNetwork(spec, run, network, nir), output);
            else
            {
                var options = new TrainingOptions(run.Steps, 1, 1, run.Seed, run.Loss, run.Encoder, Learning.Optimizers.OptimizerKind.Adam, new Learning.Optimizers.OptimizerSettings(0));
                var file = TrainedModelFile.ToModelFile(new CheckpointHeader("nir", 1, run.Task, spec, options, 0, 0, []), network);
                (file.Trained.Optimizer, file.Trained.LearningRate) = ("", 0); // imported, not trained here
                NetworkExporter.Write(file, output);
            }
        }
        Console.WriteLine($"wrote {output}: the NIR classifier {spec} of {path}" + AsNir(nir));
        return 0;
    }

    private static string AsNir(NirDialect? nir) => nir is null ? "" : $" as NIR for {nir.Name}";

    public static int Inspect(string path, ModelFile file)
    {
        using var backend = new HostBackend();
        var (spec, network, record) = TrainedModelFile.Read(file, backend);
        using (network)
        {
            Console.WriteLine($"{path}: valid SpikeSim model file, format {file.Header.Major}.{file.Header.Minor}, dt {file.Dt} ms: a trained classifier");
            Console.WriteLine($"  {spec}; task {record.Task}, T = {record.Steps}, {record.Encoder} encoding, loss {record.Loss}, surrogate {record.Surrogate}({record.SurrogateSlope:g})");
            Console.WriteLine(record.Optimizer.Length == 0 ? $"  imported (from NIR), not trained by SpikeSim; seed {record.Seed}"
                : $"  trained {record.Epochs} epochs with {record.Optimizer} (lr {record.LearningRate:g3}, seed {record.Seed}); test accuracy {record.TestAccuracy:P2}"
                  + (record.Grapes is { } g ? $"; GRAPES {g.Variant}, importance {g.Importance}" : ""));
            foreach (var layer in network.Layers) Console.WriteLine($"  {layer.Describe()}");
            if (record.QuantisationTarget.Length > 0)
                Console.WriteLine($"  quantised for {record.QuantisationTarget}: test accuracy {record.QuantisedTestAccuracy:P2}, hidden-spike agreement {record.SpikeAgreement:P2}");
        }
        return 0;
    }

    // An integer field (Input's and Output's shape) by its values, "shape = [4]"; a float field by its dimensions, "weight [16×4]".
    private static string Describe(string field, NirArray value)
        => value.Ints is { } ints ? $"{field} = [{string.Join(", ", ints)}]" : $"{field} [{string.Join('×', value.Shape)}]";

    public static bool IsHdf5(string path) => FileMagic.Matches(path, [0x89, (byte)'H', (byte)'D', (byte)'F', 0x0d, 0x0a, 0x1a, 0x0a]);

    /// <summary>Summarises a NIR file and checks that it imports as a classifier.</summary>
    public static int InspectNir(string path, NirDialect? reader)
    {
        var graph = NirFile.Read(path);
        // Imported before anything is printed, so a file that reads but does not import is one error, not "valid" and then an error.
        string imports;
        if (graph.Nodes.Any(n => n.Node.Type == "Input"))
        {
            var chain = NirChain.Read(graph, reader ?? NirDialect.Generic);
            imports = $"imports as the classifier {chain}" + (reader is null ? "" : $", read as {reader.Name} reads it");
        }
        else
        {
            var (network, dt) = SimulationNir.ToNetwork(graph);
            imports = $"imports as a simulation network: {network.Populations.Count} populations, {network.NeuronCount} neurons, {network.SynapseCount} synapses, dt {dt} ms";
        }
        Console.WriteLine($"{path}: valid NIR file (HDF5), {graph.Nodes.Count} nodes, {graph.Edges.Count} edges");
        foreach (var (name, node) in graph.Nodes)
            Console.WriteLine($"  {name}: {node.Type}(" + string.Join(", ", node.Fields.Select(f => Describe(f.Key, f.Value))) + ")");
        foreach (var (key, value) in graph.Metadata) Console.WriteLine($"  metadata {key}: {value}");
        Console.WriteLine($"  {imports}");
        return 0;
    }
}
