using System.CommandLine;
using SpikeSim.Cli.Output;
using SpikeSim.Cli.Runs;

namespace SpikeSim.Cli.Commands;

/// <summary><c>spikesim simulate cuba</c>.</summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var simulate = new Command("simulate", "Run a network and report its activity");
        simulate.Add(Cuba());
        return simulate;
    }

    private static Command Cuba()
    {
        var n = CommonOptions.N(4000);
        var duration = CommonOptions.DurationMs();
        var dt = new Option<double>("--dt-ms") { Description = "Time step in ms", DefaultValueFactory = _ => 0.1 };
        var seed = CommonOptions.Seed();
        var device = CommonOptions.Device();
        var threads = CommonOptions.Threads();
        var raster = new Option<string?>("--raster") { Description = "Save a spike raster and population rate as PNG to FILE" };
        var json = CommonOptions.Json();
        var command = new Command("cuba", "The Vogels–Abbott CUBA benchmark network (Brette et al. 2007, benchmark 2)")
        {
            n, duration, dt, seed, device, threads, raster, json,
        };
        command.SetAction(parse =>
        {
            using var backend = CommonOptions.OpenDevice(parse.GetValue(device)!, parse.GetValue(threads));
            var steps = (int)Math.Clamp(parse.GetValue(duration) / parse.GetValue(dt), 0, int.MaxValue);
            var result = ProgressDisplay.Run("simulating CUBA", steps, progress => CubaRun.Run(
                parse.GetValue(n), parse.GetValue(duration), parse.GetValue(dt), parse.GetValue(seed), backend,
                rasterCapacity: 20_000_000, progress));
            Console.WriteLine($"CUBA: {result.N} neurons, {result.Synapses} synapses, {result.Spikes} spikes, " +
                              $"mean rate {result.MeanRateHz:0.###} Hz, simulated {parse.GetValue(duration)} ms in {result.RunSeconds:0.###} s");
            if (result.Raster.Warning is { } warning) Console.Error.WriteLine($"warning: {warning}");
            if (parse.GetValue(raster) is { } png)
            {
                RasterPlot.Save(png, result.Raster, result.Rate, $"CUBA, N = {result.N}, seed {parse.GetValue(seed)}");
                Console.WriteLine($"raster: {png}");
            }
            if (parse.GetValue(json) is { } path)
                JsonFile.Write(path, new
                {
                    n = result.N, synapses = result.Synapses, spikes = result.Spikes, mean_rate_hz = result.MeanRateHz,
                    run_s = result.RunSeconds, device = result.Device,
                });
            return 0;
        });
        return command;
    }
}
