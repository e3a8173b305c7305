using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SpikeSim.Cli.Commands;
using SpikeSim.Cli.Output;
using SpikeSim.Cli.Runs;
using SpikeSim.Experiments.Cuba;
using SpikeSim.Simulator.Engines;

namespace SpikeSim.Experiments.Microcircuit;

/// <summary>
/// <c>spikesim bench microcircuit</c>: SpikeSim and a Brian2 C++ standalone script of the same model
/// (<c>peers/microcircuit_brian2.py</c>) on this machine in one call: run times (simulation only, build and compilation
/// excluded on both sides), per-population rates, and the ratio.
/// </summary>
internal static class MicrocircuitBench
{
    public static Command Create()
    {
        var model = new MicrocircuitCommands.ModelOptions();
        model.Scale.DefaultValueFactory = _ => 0.1;
        model.KScale.DefaultValueFactory = _ => 0.1;
        var duration = CommonOptions.DurationMs();
        var seed = CommonOptions.Seed();
        var device = CommonOptions.Device();
        var threads = CommonOptions.Threads();
        var repeats = new Option<int>("--repeats") { Description = "SpikeSim runs; the median is reported", DefaultValueFactory = _ => 3 }.Within(1, 1000);
        var noReference = new Option<bool>("--no-reference") { Description = "Time SpikeSim only" };
        var json = CommonOptions.Json();
        var command = new Command("microcircuit", "The microcircuit (default: scale 0.1, k-scale 0.1): SpikeSim's run time (median) against Brian2 C++ standalone (best of 1 and 2 threads)")
        {
            duration, seed, device.Option, threads, repeats, noReference, json,
        };
        model.AddTo(command);
        command.SetAction(parse =>
        {
            var parameters = model.From(parse);
            var (ms, s) = (parse.GetValue(duration), parse.GetValue(seed));
            var transient = Math.Min(MicrocircuitCommands.TransientMs, ms / 2);
            using var backend = CommonOptions.OpenDevice(device.From(parse), parse.GetValue(threads));
            // As in bench cuba: Brian2 built once per thread count, then its runs alternate with SpikeSim's.
            string? why = null;
            var builds = new List<(int Threads, Brian2Build Build)>();
            try
            {
                if (!parse.GetValue(noReference) && (why = Brian2Reference.Unavailable(Script)) is null)
                    foreach (var t in new[] { 1, 2 }) builds.Add((t, Build(parameters, ms, transient, s, t)));
                var runs = new List<NetworkRunResult>();
                var brianRuns = new List<double[]>();
                for (var r = 0; r < parse.GetValue(repeats); r++)
                {
                    var built = PotjansDiesmann2014.Build(parameters, s);
                    runs.Add(NetworkRun.Run(built.Network, EngineKind.Step, ms, PotjansDiesmann2014.DtMs, s, backend, statisticsFromMs: transient));
                    if (builds.Count > 0) brianRuns.Add([.. builds.Select(b => b.Build.RunAgain())]);
                }
                var times = runs.Select(x => x.RunSeconds).Order().ToArray();
                var median = PairedRuns.Median(times);
                var first = runs[0];
                Console.WriteLine($"SpikeSim  {first.Neurons} neurons, {first.Synapses} synapses: run {median:0.000} s (median of {times.Length}; min {times[0]:0.000}), " +
                                  $"{first.SpikeCount} spikes, {first.Device}");
                if (why is not null) Console.WriteLine($"Brian2    not run: {why}");
                BrianMicrocircuit? brian = null;
                PairedRuns? pairs = null;
                if (builds.Count > 0)
                {
                    pairs = PairedRuns.BestOfReference(runs.Select(x => x.RunSeconds), brianRuns);
                    brian = Result(builds[0].Build, 1);
                    var perThreads = PairedRuns.PerThreadMedians([.. builds.Select(b => b.Threads)], brianRuns, "0.000");
                    Console.WriteLine($"Brian2    {brian.Neurons} neurons, {brian.Synapses} synapses: run {PairedRuns.Median(pairs.ReferenceSeconds):0.000} s (C++ standalone, " +
                                      $"median of {times.Length} runs, each the better of {perThreads}), {brian.Spikes} spikes");
                }
                Console.WriteLine($"{"population",-10} {"SpikeSim Hz",12} {"Brian2 Hz",10} {"NEST (full) Hz",15}");
                for (var i = 0; i < PotjansDiesmann2014.Names.Length; i++)
                {
                    var name = PotjansDiesmann2014.Names[i];
                    var b = brian is null ? "-" : brian.RatesHz[name].ToString("0.000", CultureInfo.InvariantCulture);
                    Console.WriteLine($"{name,-10} {first.Populations[i].RateHz,12:0.000} {b,10} {PotjansDiesmann2014.ReferenceRatesHz[i],15:0.000}");
                }
                if (pairs is not null) Console.WriteLine(pairs.RatioLine("Brian2"));
                if (parse.GetValue(json) is { } path)
                    JsonFile.Write(path, new
                    {
                        n = first.Neurons, synapses = first.Synapses, scale = parameters.Scale, k_scale = parameters.KScale, duration_ms = ms,
                        spikesim_run_s = median, spikesim_runs_s = runs.Select(x => x.RunSeconds),
                        brian2_run_s = pairs is null ? (double?)null : PairedRuns.Median(pairs.ReferenceSeconds), brian2_runs_s = pairs?.ReferenceSeconds,
                        ratio = pairs?.Ratio, ratios = pairs?.Ratios,
                        spikesim_rates_hz = first.Populations.ToDictionary(p => p.Name, p => p.RateHz), brian2_rates_hz = brian?.RatesHz,
                        device = first.Device,
                    });
            }
            finally
            {
                foreach (var (_, build) in builds) build.Dispose();
            }
            return 0;
        });
        return command;
    }

    private const string Script = "microcircuit_brian2.py";

    private sealed record BrianMicrocircuit(int Threads, int Neurons, long Synapses, long Spikes, Dictionary<string, double> RatesHz, double RunSeconds);

    private static Brian2Build Build(PotjansDiesmann2014.Parameters p, double durationMs, double transientMs, ulong seed, int threads)
    {
        var invariant = CultureInfo.InvariantCulture;
        return Brian2Build.Compile(Script,
            ["--threads", threads.ToString(invariant), "--scale", p.Scale.ToString(invariant), "--k-scale", p.KScale.ToString(invariant),
             "--input", p.Background.ToString().ToLowerInvariant(), "--duration-ms", durationMs.ToString(invariant),
             "--transient-ms", transientMs.ToString(invariant), "--seed", (seed % int.MaxValue).ToString(invariant)]);
    }

    /// <summary>The first run of a microcircuit <paramref name="build"/>: its size, spikes and rates.</summary>
    private static BrianMicrocircuit Result(Brian2Build build, int threads)
    {
        var root = build.First;
        return new BrianMicrocircuit(threads, root.GetProperty("n").GetInt32(), root.GetProperty("synapses").GetInt64(), root.GetProperty("spikes").GetInt64(),
            root.GetProperty("rates_hz").EnumerateObject().ToDictionary(x => x.Name, x => x.Value.GetDouble()), root.GetProperty("run_s").GetDouble());
    }
}
