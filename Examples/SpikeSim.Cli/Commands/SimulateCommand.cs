using System.CommandLine;
using SpikeSim.Cli.Output;
using SpikeSim.Cli.Runs;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Models;
using SpikeSim.Simulator.Recording;

namespace SpikeSim.Cli.Commands;

/// <summary><c>spikesim simulate cuba|brunel</c>.</summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var simulate = new Command("simulate", "Run a network and report its activity");
        simulate.Add(Cuba());
        simulate.Add(Brunel());
        simulate.Add(DistalRewardCommand.Create());
        simulate.Add(PatternAssociationCommand.Create());
        simulate.Add(ModelFileCommands.SimulateModel());
        return simulate;
    }

    private static Command Cuba()
    {
        var n = CommonOptions.N(4000);
        var run = new RunOptions();
        var command = new Command("cuba", "The Vogels–Abbott CUBA benchmark network (Brette et al. 2007, benchmark 2)") { n };
        run.AddTo(command);
        command.SetAction(parse =>
        {
            var seed = parse.GetValue(run.Seed);
            var (network, _) = VogelsAbbottCuba.Build(parse.GetValue(n), seed);
            var result = Execute(parse, network, "CUBA", run, $"CUBA, N = {parse.GetValue(n)}, seed {seed}");
            if (parse.GetValue(run.Json) is { } path)
                JsonFile.Write(path, new
                {
                    engine = OptionName.Of(result.Engine), n = result.Neurons, synapses = result.Synapses, spikes = result.SpikeCount,
                    mean_rate_hz = result.MeanRateHz, run_s = result.RunSeconds, device = result.Device,
                    synaptic_events_per_s = result.SynapticEventsPerSecond,
                });
            return 0;
        });
        return command;
    }

    private static Command Brunel()
    {
        var regime = new ChoiceOption<Brunel2000.Regime>("--regime", "a, b, c or d (either case): sets g and eta as in the paper's figure 8", Brunel2000.Regime.D);
        var g = new Option<double?>("--g") { Description = "Relative strength of inhibition (default: the regime's; D: 4.5)" };
        var eta = new Option<double?>("--eta") { Description = "External rate in units of the threshold rate (default: the regime's; D: 0.9)" };
        var scale = new Option<double>("--n-scale") { Description = "Shrink the network (sizes and in-degrees)", DefaultValueFactory = _ => 1.0 };
        var run = new RunOptions();
        var command = new Command("brunel", "Brunel's (2000) sparse excitatory-inhibitory network with delta synapses") { regime.Option, g, eta, scale };
        run.AddTo(command);
        command.SetAction(parse =>
        {
            var (gValue, etaValue) = Brunel2000.Parameters(regime.From(parse));
            gValue = parse.GetValue(g) ?? gValue;
            etaValue = parse.GetValue(eta) ?? etaValue;
            var (network, _, _) = Brunel2000.Build(gValue, etaValue, parse.GetValue(scale), parse.GetValue(run.Seed));
            var result = Execute(parse, network, "Brunel", run, $"Brunel, g = {gValue}, η = {etaValue}, N = {network.NeuronCount}");
            var trains = Enumerable.Range(0, result.Neurons).Select(_ => new List<double>()).ToArray();
            for (var k = 0; k < result.SpikeNeurons.Length; k++) trains[result.SpikeNeurons[k]].Add(result.SpikeTimesMs[k]);
            foreach (var train in trains) train.Sort();
            var transient = Math.Min(100, result.DurationMs / 2);
            var cv = SpikeStatistics.MeanIsiCv(trains.Select(t => (IReadOnlyList<double>)t.Where(x => x >= transient).ToList()));
            var synchrony = SpikeStatistics.PopulationRateCv(result.SpikeTimesMs, transient, result.DurationMs);
            Console.WriteLine($"ISI CV {cv:0.###}, population-rate CV (1 ms bins) {synchrony:0.###}, {result.SynapticEventsPerSecond / 1e6:0.##} M synaptic events/s");
            if (parse.GetValue(run.Json) is { } path)
                JsonFile.Write(path, new
                {
                    engine = OptionName.Of(result.Engine), n = result.Neurons, synapses = result.Synapses, spikes = result.SpikeCount,
                    mean_rate_hz = result.MeanRateHz, run_s = result.RunSeconds, synaptic_events_per_s = result.SynapticEventsPerSecond,
                    g = gValue, eta = etaValue, isi_cv = cv, rate_cv = synchrony, device = result.Device,
                });
            return 0;
        });
        return command;
    }

    /// <summary>Opens the device the engine needs, runs with a progress bar, prints the summary line and the raster.</summary>
    private static NetworkRunResult Execute(ParseResult parse, Simulator.Networks.Network network, string name, RunOptions run, string title)
    {
        var engineKind = run.Engine.From(parse);
        using var backend = engineKind == EngineKind.Step ? CommonOptions.OpenDevice(run.Device.From(parse), parse.GetValue(run.Threads)) : null;
        var (duration, dt) = (parse.GetValue(run.DurationMs), parse.GetValue(run.DtMs));
        var steps = (int)Math.Clamp(duration / dt, 0, int.MaxValue);
        var result = ProgressDisplay.Run($"simulating {name}", steps, progress => NetworkRun.Run(network, engineKind,
            duration, dt, parse.GetValue(run.Seed), backend, spikeCapacity: 20_000_000, progress, steps));
        Console.WriteLine($"{name} ({OptionName.Of(engineKind)} engine): {result.Neurons} neurons, {result.Synapses} synapses, " +
                          $"{result.SpikeCount} spikes, mean rate {result.MeanRateHz:0.###} Hz, simulated {result.DurationMs} ms in {result.RunSeconds:0.###} s");
        if (engineKind == EngineKind.Event) Console.Error.WriteLine($"device: {result.Device}");
        if (result.Warning is { } warning) Console.Error.WriteLine($"warning: {warning}");
        if (parse.GetValue(run.Raster) is { } png)
        {
            RasterPlot.Save(png, result, title);
            Console.WriteLine($"raster: {png}");
        }
        return result;
    }

    /// <summary>The options every <c>simulate</c> command takes, defined once.</summary>
    private sealed class RunOptions
    {
        public Option<double> DurationMs { get; } = CommonOptions.DurationMs();
        public Option<double> DtMs { get; } = CommonOptions.DtMs();
        public Option<ulong> Seed { get; } = CommonOptions.Seed();
        public ChoiceOption<EngineKind> Engine { get; } = CommonOptions.Engine();
        public ChoiceOption<DeviceKind> Device { get; } = CommonOptions.Device();
        public Option<int> Threads { get; } = CommonOptions.Threads();
        public Option<string?> Raster { get; } = CommonOptions.Raster();
        public Option<string?> Json { get; } = CommonOptions.Json();

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { DurationMs, DtMs, Seed, Engine.Option, Device.Option, Threads, Raster, Json }) command.Add(option);
        }
    }
}
