using System.CommandLine;
using SpikeSim.Cli.Output;
using SpikeSim.Cli.Runs;
using SpikeSim.Export;
using SpikeSim.Export.Nir;
using SpikeSim.Export.Proto;
using SpikeSim.Learning.Evolution;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Files;
using SpikeSim.Simulator.Networks;

namespace SpikeSim.Cli.Commands;

/// <summary>
/// <c>spikesim run FILE</c> (and its older name <c>spikesim simulate model FILE</c>): runs the network of any file SpikeSim
/// writes, recognised by its content, in either engine, and records it (<c>--record … -o FILE.h5</c>). A file whose
/// network the engines cannot run yet is refused with one line saying what they lack.
/// </summary>
internal static class RunCommand
{
    public static Command Create(string name, string description)
    {
        var file = new Argument<string>("file") { Description = "A SpikeSim model file or a NIR file (or a training checkpoint)" };
        var duration = CommonOptions.DurationMs();
        var seed = CommonOptions.Seed();
        var engine = CommonOptions.Engine();
        var device = CommonOptions.Device();
        var threads = CommonOptions.Threads();
        var data = new ChoiceOption<TaskKind>("--data", "A classifier's task: evaluate its test split and print the accuracy");
        var raster = CommonOptions.Raster();
        var json = CommonOptions.Json();
        var record = new RecordOptions();
        var nirFrom = NirDialectOption.Create("--nir-from", "A NIR classifier written by another framework: read it with that framework's semantics (docs/nir.md)");
        var stepsOption = new Option<int?>("--steps") { Description = "With --data: time steps per sample (default: the file's; a foreign NIR file's: the task's)" }.Within(1, 100_000);
        var encoder = new ChoiceOption<Learning.Encoders.EncoderKind>("--encoder", "With --data: input encoding (default: the file's; a foreign NIR file's: the task's)");
        var loss = new ChoiceOption<Learning.Losses.LossKind>("--loss", "With --data: how the readout gives a class (default: the file's; a foreign NIR file's: ce-count for a spiking readout, ce-max for LI)");
        var sample = new Option<int?>("--sample") { Description = "With --data and --record: the test sample whose run is recorded (default 0)" }.Within(0, int.MaxValue);
        var command = new Command(name, description) { file, duration, seed, engine.Option, device.Option, threads, data.Option, nirFrom, stepsOption, encoder.Option, loss.Option, sample, raster, json };
        record.AddTo(command);
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            if (File.Exists(path) && TrainedRun.IsClassifier(path))
                return Classify(parse, path, data.Given(parse), engine.From(parse), device.From(parse), parse.GetValue(threads), parse.GetValue(json), record,
                    NirDialectOption.From(parse, nirFrom), new RunOverrides(parse.GetValue(stepsOption), encoder.Given(parse), loss.Given(parse)), parse.GetValue(sample));
            CommonOptions.Refuse(parse, sample, "it picks the test sample a classifier's recording runs (with --data and --record)");
            var (network, dt) = Open(path);
            CommonOptions.Refuse(parse, nirFrom, "it reads NIR classifiers; a simulation network's NIR file is read in SpikeSim's convention");
            foreach (var option in new Option[] { stepsOption, encoder.Option, loss.Option }) CommonOptions.Refuse(parse, option, "it sets how a classifier is evaluated (with --data)");
            if (data.Given(parse) is not null)
                throw new InvalidParameterException($"--data evaluates a trained classifier; {path} holds a simulation network. Run it without --data.");
            var recording = record.From(parse, network, dt);
            var engineKind = engine.From(parse);
            using var backend = engineKind == EngineKind.Step ? CommonOptions.OpenDevice(device.From(parse), parse.GetValue(threads)) : null;
            var steps = (int)Math.Clamp(parse.GetValue(duration) / dt, 0, int.MaxValue);
            var result = ProgressDisplay.Run("simulating", steps, progress => NetworkRun.Run(network, engineKind, parse.GetValue(duration), dt, parse.GetValue(seed),
                backend, parse.GetValue(raster) is null ? 0 : RasterPlot.WindowMs, 0, progress, steps, recording));
            Console.WriteLine($"{path} ({OptionName.Of(engineKind)} engine): {result.Neurons} neurons, {result.Synapses} synapses, " +
                              $"{result.SpikeCount} spikes, mean rate {result.MeanRateHz:0.###} Hz, simulated {result.DurationMs} ms in {result.RunSeconds:0.###} s");
            if (engineKind == EngineKind.Event) Console.Error.WriteLine($"device: {result.Device}");
            if (recording is { } r) Console.WriteLine($"recorded: {r.Path}");
            if (parse.GetValue(raster) is { } png) RasterPlot.Save(png, result, Path.GetFileName(path));
            if (parse.GetValue(json) is { } jsonPath)
                JsonFile.Write(jsonPath, new
                {
                    engine = OptionName.Of(result.Engine), n = result.Neurons, synapses = result.Synapses, spikes = result.SpikeCount,
                    mean_rate_hz = result.MeanRateHz, run_s = result.RunSeconds, device = result.Device, dt_ms = dt,
                });
            return 0;
        });
        return command;
    }

    /// <summary><c>spikesim run CLASSIFIER --data TASK</c>: the test split's accuracy in the time-step engine.</summary>
    private static int Classify(ParseResult parse, string path, TaskKind? task, EngineKind engine, DeviceKind device, int threads, string? json, RecordOptions record,
        NirDialect? reader, RunOverrides overrides, int? sample)
    {
        if (task is null) throw new InvalidParameterException($"{path} is a trained classifier: give --data TASK to evaluate it on that task's test split.");
        if (engine == EngineKind.Event)
            throw new InvalidParameterException($"{path} is a trained classifier: its neurons are discrete-time and its input a per-step affine projection, which the event engine does not have; use --engine step.");
        var recording = parse.GetValue(record.Record) is { Length: > 0 } || parse.GetValue(record.Output) is not null;
        if (sample is not null && !recording)
            throw new InvalidParameterException("--sample picks the test sample whose run --record writes; give --record WHAT -o FILE.h5 with it.");
        using var backend = CommonOptions.OpenDevice(device, threads);
        if (recording)
        {
            // One test sample's simulation, recorded as any run is; the evaluation of the whole split follows.
            var index = sample ?? 0;
            var (label, prediction, steps) = TrainedRun.RecordSample(path, task.Value, backend, index, (network, dt) => record.From(parse, network, dt)!.Value, reader, overrides);
            Console.WriteLine($"test sample {index} (label {label}): predicted {prediction} after {steps} steps; recorded: {parse.GetValue(record.Output)}");
        }
        var samples = 0;
        var result = TrainedRun.Evaluate(path, task.Value, backend, null, out samples, reader, overrides);
        Console.WriteLine($"{path} ({result.Architecture}), step engine on {backend.Description}: test accuracy {result.Accuracy:P2} on {result.Samples} {OptionName.Of(task.Value)} samples in {result.RunSeconds:0.##} s");
        if (json is not null)
            JsonFile.Write(json, new { accuracy = result.Accuracy, samples = result.Samples, engine = OptionName.Of(engine), device = backend.Description, run_s = result.RunSeconds });
        return 0;
    }

    /// <summary>The simulation network in <paramref name="path"/> and its step, or one error saying what the file is and why it does not run.</summary>
    public static (Network Network, double DtMs) Open(string path)
    {
        if (Directory.Exists(path)) throw new InvalidParameterException($"{path} is a folder; give a model file, a NIR file or a checkpoint.");
        if (!File.Exists(path)) throw new InvalidParameterException($"No file at '{path}'.");
        if (EvolutionCheckpoint.IsCheckpoint(path))
            throw new InvalidParameterException($"{path} is an evolution checkpoint, not a network: write its agent with the command that made it (--checkpoint {path} --resume --export FILE).");
        if (TrainedExport.IsHdf5(path))
        {
            var graph = NirFile.Read(path);
            return SimulationNir.ToNetwork(graph);
        }
        var model = TrainedExport.TryParse(path) ?? throw new InvalidParameterException($"{path} is not a SpikeSim model file, a NIR file or a checkpoint.");
        if (model.Evolved is not null)
            throw new InvalidParameterException($"{path} is an evolved maze agent: the engines run its decomposed rules (DecomposedStdp) but not its maze loop (an observation held as an analog input " +
                                                "for each task step, W_h's rule reading the previous task step's trace, moves sampled from the readout); the maze experiment runs it (spikesim meta maze).");
        if (model.TrainedAgent is not null)
            throw new InvalidParameterException($"{path} is a spiking Backpropamine agent: its input enters as a per-step affine projection and its rule needs the task's reward loop, " +
                                                "which the engines do not run; the Backpropamine experiment runs it (spikesim meta backpropamine).");
        return NetworkImporter.FromModelFile(model);
    }
}
