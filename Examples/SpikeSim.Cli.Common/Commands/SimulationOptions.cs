using System.CommandLine;
using SpikeSim.Simulator.Engines;
using SpikeSim.Cli.Output;
using SpikeSim.Cli.Runs;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Recording;

namespace SpikeSim.Cli.Commands;

/// <summary>The options every <c>simulate</c> command of a built-in network takes, defined once, and the run they ask for.</summary>
public sealed class SimulationOptions
{
    public Option<double> DurationMs { get; } = CommonOptions.DurationMs();
    public Option<double> DtMs { get; } = CommonOptions.DtMs();
    public Option<ulong> Seed { get; } = CommonOptions.Seed();
    public ChoiceOption<EngineKind> Engine { get; } = CommonOptions.Engine();
    public ChoiceOption<DeviceKind> Device { get; } = CommonOptions.Device();
    public Option<int> Threads { get; } = CommonOptions.Threads();
    public Option<string?> Raster { get; } = CommonOptions.Raster();
    public Option<string?> Json { get; } = CommonOptions.Json();
    public RecordOptions Recording { get; } = new();

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { DurationMs, DtMs, Seed, Engine.Option, Device.Option, Threads, Raster, Json }) command.Add(option);
        Recording.AddTo(command);
    }

    /// <summary>
    /// Opens the device the engine needs, runs with a progress bar, prints the summary line and the raster, and writes what
    /// --record asked for. ISI statistics are accumulated from <paramref name="statisticsFromMs"/> on.
    /// </summary>
    public NetworkRunResult Run(ParseResult parse, Network network, string name, string title, double statisticsFromMs = 0)
    {
        var engineKind = Engine.From(parse);
        if (engineKind == EngineKind.Event)
        {
            CommonOptions.Refuse(parse, DtMs, "the event engine has no time step (its spikes are exact)");
            CommonOptions.Refuse(parse, Device.Option, "the event engine runs on one CPU thread");
        }
        var record = Recording.From(parse, network, parse.GetValue(DtMs));
        using var backend = engineKind == EngineKind.Step ? CommonOptions.OpenDevice(Device.From(parse), parse.GetValue(Threads)) : null;
        var (duration, dt) = (parse.GetValue(DurationMs), parse.GetValue(DtMs));
        var steps = (int)Math.Clamp(duration / dt, 0, int.MaxValue);
        var result = ProgressDisplay.Run($"simulating {name}", steps, progress => NetworkRun.Run(network, engineKind,
            duration, dt, parse.GetValue(Seed), backend, parse.GetValue(Raster) is null ? 0 : RasterPlot.WindowMs, statisticsFromMs, progress, steps, record));
        Console.WriteLine($"{name} ({Learning.Training.OptionName.Of(engineKind)} engine): {result.Neurons} neurons, {result.Synapses} synapses, " +
                          $"{result.SpikeCount} spikes, mean rate {result.MeanRateHz:0.###} Hz, simulated {result.DurationMs} ms in {result.RunSeconds:0.###} s");
        if (engineKind == EngineKind.Event) Console.Error.WriteLine($"device: {result.Device}");
        if (record is { } r) Console.WriteLine($"recorded: {r.Path} ({string.Join(", ", r.Recordings.Select(Describe))})");
        if (parse.GetValue(Raster) is { } png)
        {
            RasterPlot.Save(png, result, title);
            Console.WriteLine($"raster: {png}");
        }
        return result;
    }

    private static string Describe(Recording recording) => recording switch
    {
        SpikeRecording s => $"{s.Population.Name}/spikes",
        RateRecording r => $"{r.Population.Name}/rate",
        StateRecording s => $"{s.Population.Name}/{s.Variable.Name}",
        _ => recording.GetType().Name,
    };
}
