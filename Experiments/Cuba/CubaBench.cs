using System.CommandLine;
using System.Diagnostics;
using SpikeSim.Cli.Commands;
using SpikeSim.Cli.Output;
using SpikeSim.Cli.Runs;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Plasticity;
using SpikeSim.Simulator.Recording;

namespace SpikeSim.Experiments.Cuba;

/// <summary><c>spikesim bench cuba</c>: SpikeSim and Brian2 on the same machine in one call.</summary>
internal static class CubaBench
{
    public static Command Create()
    {
        var n = CommonOptions.N(4000);
        var duration = CommonOptions.DurationMs();
        var seed = CommonOptions.Seed();
        var device = CommonOptions.Device();
        var threads = CommonOptions.Threads();
        var repeats = new Option<int>("--repeats") { Description = "SpikeSim runs; the median is reported", DefaultValueFactory = _ => 5 }.Within(1, 1000);
        var noReference = new Option<bool>("--no-reference") { Description = "Time SpikeSim only" };
        var json = CommonOptions.Json();
        var command = new Command("cuba", "CUBA: SpikeSim's run time (median) against Brian2 C++ standalone (best of 1 and 2 threads)")
        {
            n, duration, seed, device.Option, threads, repeats, noReference, json,
        };
        command.SetAction(parse =>
        {
            var (size, ms, s) = (parse.GetValue(n), parse.GetValue(duration), parse.GetValue(seed));
            using var backend = CommonOptions.OpenDevice(device.From(parse), parse.GetValue(threads));
            CubaRun.Run(size, Math.Min(ms, 50), VogelsAbbottCuba.DtMs, s, EngineKind.Step, backend); // warm-up: JIT, caches
            // Brian2 is built once per thread count; then its runs alternate with SpikeSim's, so that both meet the
            // machine in the same minute (a shared machine's speed changes by 2× between minutes) and each pair's
            // ratio is a fair one.
            string? why = null;
            var builds = new List<(int Threads, Brian2Build Build)>();
            try
            {
                if (!parse.GetValue(noReference) && (why = Brian2Reference.Unavailable()) is null)
                    foreach (var t in new[] { 1, 2 }) builds.Add((t, Brian2Reference.Build(size, ms, s, t)));
                var runs = new List<NetworkRunResult>();
                var brianRuns = new List<double[]>();
                for (var r = 0; r < Math.Max(1, parse.GetValue(repeats)); r++)
                {
                    runs.Add(CubaRun.Run(size, ms, VogelsAbbottCuba.DtMs, s, EngineKind.Step, backend));
                    if (builds.Count > 0) brianRuns.Add([.. builds.Select(b => b.Build.RunAgain())]);
                }
                var times = runs.Select(x => x.RunSeconds).Order().ToArray();
                var median = PairedRuns.Median(times);
                var first = runs[0];
                Console.WriteLine($"SpikeSim  N={size}: run {median:0.0000} s (median of {times.Length}; min {times[0]:0.0000}), " +
                                  $"{first.SpikeCount} spikes, {first.MeanRateHz:0.###} Hz, {first.Synapses} synapses, " +
                                  $"{first.BytesPerSynapse:0.##} bytes/synapse, {first.Device}");
                if (why is not null) Console.WriteLine($"Brian2    not run: {why}");
                Brian2Result? brian = null;
                PairedRuns? pairs = null;
                if (builds.Count > 0)
                {
                    // Per pair, Brian2's better thread count.
                    pairs = PairedRuns.BestOfReference(runs.Select(x => x.RunSeconds), brianRuns);
                    brian = Brian2Reference.Result(builds[0].Build, 1);
                    var perThreads = PairedRuns.PerThreadMedians([.. builds.Select(b => b.Threads)], brianRuns, "0.0000");
                    Console.WriteLine($"Brian2    N={size}: run {PairedRuns.Median(pairs.ReferenceSeconds):0.0000} s (C++ standalone, median of {brianRuns.Count} runs, each the better of " +
                                      $"{perThreads}), {brian.Spikes} spikes, {brian.MeanRateHz:0.###} Hz, {brian.Synapses} synapses");
                    Console.WriteLine(pairs.RatioLine("Brian2"));
                }
                if (parse.GetValue(json) is { } path)
                    JsonFile.Write(path, new
                    {
                        n = size, spikesim_run_s = median, brian2_run_s = pairs is null ? (double?)null : PairedRuns.Median(pairs.ReferenceSeconds),
                        ratio = pairs?.Ratio, spikesim_runs_s = runs.Select(x => x.RunSeconds), brian2_runs_s = pairs?.ReferenceSeconds, ratios = pairs?.Ratios,
                        spikesim_rate_hz = first.MeanRateHz, brian2_rate_hz = brian?.MeanRateHz,
                        synapses = first.Synapses, bytes_per_synapse = first.BytesPerSynapse, device = first.Device, duration_ms = ms,
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
}
