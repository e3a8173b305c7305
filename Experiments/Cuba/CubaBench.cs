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
            var runs = new List<NetworkRunResult>();
            for (var r = 0; r < Math.Max(1, parse.GetValue(repeats)); r++)
                runs.Add(CubaRun.Run(size, ms, VogelsAbbottCuba.DtMs, s, EngineKind.Step, backend));
            var times = runs.Select(x => x.RunSeconds).Order().ToArray();
            var median = times[times.Length / 2];
            var first = runs[0];
            Console.WriteLine($"SpikeSim  N={size}: run {median:0.0000} s (median of {times.Length}; min {times[0]:0.0000}), " +
                              $"{first.SpikeCount} spikes, {first.MeanRateHz:0.###} Hz, {first.Synapses} synapses, " +
                              $"{first.BytesPerSynapse:0.##} bytes/synapse, {first.Device}");

            Brian2Result? brian = null;
            if (!parse.GetValue(noReference))
            {
                if (Brian2Reference.Unavailable() is { } why)
                    Console.WriteLine($"Brian2    not run: {why}");
                else
                {
                    var results = new[] { 1, 2 }.Select(t => Brian2Reference.Run(size, ms, s, t)).ToArray();
                    brian = results.MinBy(b => b.RunSeconds)!;
                    Console.WriteLine($"Brian2    N={size}: run {brian.RunSeconds:0.0000} s (C++ standalone, best of " +
                                      $"{string.Join(" and ", results.Select(b => $"{b.Threads} thread{(b.Threads > 1 ? "s" : "")}: {b.RunSeconds:0.0000} s"))}), " +
                                      $"{brian.Spikes} spikes, {brian.MeanRateHz:0.###} Hz, {brian.Synapses} synapses");
                    Console.WriteLine($"ratio     SpikeSim / Brian2 = {median / brian.RunSeconds:0.000}");
                }
            }
            if (parse.GetValue(json) is { } path)
                JsonFile.Write(path, new
                {
                    n = size, spikesim_run_s = median, brian2_run_s = brian?.RunSeconds, ratio = brian is null ? (double?)null : median / brian.RunSeconds,
                    spikesim_runs_s = times, spikesim_rate_hz = first.MeanRateHz, brian2_rate_hz = brian?.MeanRateHz,
                    synapses = first.Synapses, bytes_per_synapse = first.BytesPerSynapse, device = first.Device, duration_ms = ms,
                });
            return 0;
        });
        return command;
    }
}
