using System.CommandLine;
using ScottPlot;
using SpikeSim.Cli.Commands;
using SpikeSim.Cli.Output;
using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Files;

namespace SpikeSim.Experiments.FiCurve;

/// <summary><c>spikesim simulate fi-curve</c>: a LIF neuron's firing rate against its constant input current, and the closed form.</summary>
public sealed class FiCurveCommands : ICommandSource
{
    /// <inheritdoc />
    public void AddTo(CommandTree tree) => tree.Add(CommandGroup.Simulate, Create());

    private static Command Create()
    {
        var n = CommonOptions.N(41);
        var maxCurrent = new Option<double>("--max-current") { Description = "The largest current (the neuron's threshold is at R·I = 1)", DefaultValueFactory = _ => 3.0 }.Within(0, 1e6, minExclusive: true);
        var duration = CommonOptions.DurationMs();
        var dt = CommonOptions.DtMs();
        var engine = CommonOptions.Engine();
        var device = CommonOptions.Device();
        var record = new RecordOptions();
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var plot = OutputFile.Create("--plot", "Save the measured rates over the closed form as PNG to FILE");
        var command = new Command("fi-curve", "A LIF neuron's firing rate against its input current, beside the closed form (the f–I curve)")
        {
            n, maxCurrent, duration, dt, engine.Option, device.Option, threads, json, plot,
        };
        record.AddTo(command);
        command.SetAction(parse =>
        {
            var engineKind = engine.From(parse);
            using var backend = engineKind == EngineKind.Step ? CommonOptions.OpenDevice(device.From(parse), parse.GetValue(threads)) : null;
            var (network, neurons, currents) = FiCurve.Build(parse.GetValue(n), parse.GetValue(maxCurrent));
            using var simulation = Simulation.Create(network, engineKind, parse.GetValue(dt), 1, backend);
            using var recording = record.Start(parse, simulation, parse.GetValue(dt));
            var points = FiCurve.Run(simulation, neurons, currents, parse.GetValue(duration));
            recording?.Complete(1);
            var worst = points.Where(p => p.TheoryHz > 0).Select(p => Math.Abs(p.RateHz - p.TheoryHz) / p.TheoryHz).DefaultIfEmpty(0).Max();
            var silent = points.Count(p => p.TheoryHz == 0 && p.RateHz == 0);
            Console.WriteLine($"f–I curve: {points.Length} LIF neurons, I up to {parse.GetValue(maxCurrent):g}, {parse.GetValue(duration):g} ms ({(engineKind == EngineKind.Step ? $"step engine, dt {parse.GetValue(dt):g} ms" : "event engine")}); " +
                              $"largest relative deviation from the closed form {worst:P2}; {silent} of {points.Count(p => p.TheoryHz == 0)} neurons below rheobase silent");
            if (parse.GetValue(json) is { } path)
                JsonFile.Write(path, new
                {
                    n = points.Length, duration_ms = parse.GetValue(duration), dt_ms = parse.GetValue(dt), max_relative_deviation = worst,
                    current = points.Select(p => p.Current), rate_hz = points.Select(p => p.RateHz), theory_hz = points.Select(p => p.TheoryHz),
                });
            if (parse.GetValue(plot) is { } png) Plot(png, points);
            return 0;
        });
        return command;
    }

    private static void Plot(string path, FiCurve.Point[] points)
    {
        var plot = new Plot();
        var fine = Enumerable.Range(0, 401).Select(k => points[^1].Current * k / 400).ToArray();
        var theory = plot.Add.ScatterLine(fine, fine.Select(i => FiCurve.TheoryHz(FiCurve.Neuron, i)).ToArray());
        theory.LegendText = "closed form";
        var measured = plot.Add.ScatterPoints(points.Select(p => p.Current).ToArray(), points.Select(p => p.RateHz).ToArray());
        measured.LegendText = "SpikeSim, time-step engine";
        plot.XLabel("input current R·I (threshold at 1)");
        plot.YLabel("firing rate (Hz)");
        plot.Title("f–I curve of a LIF neuron (τ 10 ms, refractory 2 ms)");
        plot.ShowLegend(Alignment.UpperLeft);
        AtomicFile.Write(path, temporary => plot.SavePng(temporary, 900, 600));
    }
}
