using System.CommandLine;
using System.Diagnostics;
using SpikeSim.Cli.Commands;
using SpikeSim.Cli.Output;
using SpikeSim.Cli.Runs;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Plasticity;
using SpikeSim.Simulator.Recording;
using SpikeSim.Experiments.Cuba;

namespace SpikeSim.Experiments.Brunel;

/// <summary>
/// <c>spikesim bench engines</c>: the event engine against the time-step engine on the same
/// networks, in one call: Brunel regime D, CUBA, and Brunel D with its external drive scaled
/// down, which lowers the activity until the event engine wins.
/// </summary>
internal static class EngineBench
{
    public static Command Create()
    {
        var duration = new Option<double>("--duration-ms") { Description = "Simulated time per run", DefaultValueFactory = _ => 300.0 }.Within(0, 1e7, minExclusive: true);
        var scale = new Option<double>("--n-scale") { Description = "Brunel network scale", DefaultValueFactory = _ => 0.5 }.Within(0, 100, minExclusive: true);
        var n = CommonOptions.N(4000);
        var seed = CommonOptions.Seed();
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var command = new Command("engines", "Synaptic events per second of the event and time-step engines, and where each wins")
        {
            duration, scale, n, seed, threads, json,
        };
        command.SetAction(parse =>
        {
            var ms = parse.GetValue(duration);
            var s = parse.GetValue(seed);
            using var backend = CommonOptions.OpenDevice(DeviceKind.Cpu, parse.GetValue(threads));
            var (gD, etaD) = Brunel2000.Parameters(Brunel2000.Regime.D);
            var cases = new List<(string Name, Func<Simulator.Networks.Network> Build)>
            {
                ($"Brunel D, N = {(int)(12500 * parse.GetValue(scale))}", () => Brunel2000.Build(gD, etaD, parse.GetValue(scale), s).Network),
                ($"CUBA, N = {parse.GetValue(n)}", () => VogelsAbbottCuba.Build(parse.GetValue(n), s).Network),
            };
            foreach (var factor in new[] { 0.5, 0.25, 0.1, 0.03 })
                cases.Add(($"Brunel D, drive × {factor}", () => Brunel2000.Build(gD, etaD * factor, parse.GetValue(scale), s).Network));
            Console.WriteLine($"{"network",-26} {"rate Hz",8} {"events/neuron/s",16} {"step s",8} {"event s",8} {"step Mev/s",11} {"event Mev/s",12} {"event/step time",16}");
            var rows = new List<object>();
            foreach (var (name, build) in cases)
            {
                var network = build();
                var step = NetworkRun.Run(network, EngineKind.Step, ms, 0.1, s, backend);
                var exact = NetworkRun.Run(network, EngineKind.Event, ms, 0.1, s, null);
                // External Poisson arrivals are synaptic events too: expected count, the same for both engines.
                var external = network.PoissonInputs.Sum(p => p.RateHz * p.Target.Size * ms * 1e-3);
                var events = exact.SynapticEvents + external;
                var perNeuron = events / (exact.Neurons * ms * 1e-3);
                Console.WriteLine($"{name,-26} {exact.MeanRateHz,8:0.##} {perNeuron,16:0} {step.RunSeconds,8:0.###} {exact.RunSeconds,8:0.###} " +
                                  $"{(step.SynapticEvents + external) / step.RunSeconds / 1e6,11:0.##} {events / exact.RunSeconds / 1e6,12:0.##} {exact.RunSeconds / step.RunSeconds,16:0.##}");
                rows.Add(new
                {
                    network = name, rate_hz = exact.MeanRateHz, step_rate_hz = step.MeanRateHz, events_per_neuron_per_s = perNeuron,
                    step_run_s = step.RunSeconds, event_run_s = exact.RunSeconds,
                    step_events_per_s = (step.SynapticEvents + external) / step.RunSeconds, event_events_per_s = events / exact.RunSeconds,
                });
            }
            if (parse.GetValue(json) is { } path) JsonFile.Write(path, new { duration_ms = ms, cases = rows });
            return 0;
        });
        return command;
    }
}
