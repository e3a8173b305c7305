using System.CommandLine;
using System.Diagnostics;
using SpikeSim.Cli.Output;
using SpikeSim.Cli.Peers;
using SpikeSim.Cli.Runs;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Models;
using SpikeSim.Simulator.Plasticity;
using SpikeSim.Simulator.Recording;

namespace SpikeSim.Cli.Commands;

/// <summary><c>spikesim bench cuba</c>: SpikeSim and Brian2 on the same machine in one call.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Time SpikeSim against a reference simulator, side by side");
        bench.Add(Cuba());
        bench.Add(Engines());
        bench.Add(Stdp());
        bench.Add(BenchTrainCommands.Gemm());
        bench.Add(BenchTrainCommands.Train());
        return bench;
    }

    private static Command Cuba()
    {
        var n = CommonOptions.N(4000);
        var duration = CommonOptions.DurationMs();
        var seed = CommonOptions.Seed();
        var device = CommonOptions.Device();
        var threads = CommonOptions.Threads();
        var repeats = new Option<int>("--repeats") { Description = "SpikeSim runs; the median is reported", DefaultValueFactory = _ => 5 };
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
            CubaRun.Run(size, Math.Min(ms, 50), VogelsAbbottCuba.DtMs, s, EngineKind.Step, backend, spikeCapacity: 0); // warm-up: JIT, caches
            var runs = new List<NetworkRunResult>();
            for (var r = 0; r < Math.Max(1, parse.GetValue(repeats)); r++)
                runs.Add(CubaRun.Run(size, ms, VogelsAbbottCuba.DtMs, s, EngineKind.Step, backend, spikeCapacity: 0));
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

    /// <summary>
    /// <c>spikesim bench engines</c>: the event engine against the time-step engine on the same
    /// networks, in one call: Brunel regime D, CUBA, and Brunel D with its external drive scaled
    /// down, which lowers the activity until the event engine wins.
    /// </summary>
    private static Command Engines()
    {
        var duration = new Option<double>("--duration-ms") { Description = "Simulated time per run", DefaultValueFactory = _ => 300.0 };
        var scale = new Option<double>("--n-scale") { Description = "Brunel network scale", DefaultValueFactory = _ => 0.5 };
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
                var step = NetworkRun.Run(network, EngineKind.Step, ms, 0.1, s, backend, spikeCapacity: 50_000_000);
                var exact = NetworkRun.Run(network, EngineKind.Event, ms, 0.1, s, null, spikeCapacity: 50_000_000);
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

    /// <summary>
    /// <c>spikesim bench stdp</c>: CUBA with every excitatory synapse plastic against the static run, in
    /// one call, for pair STDP and three-factor STDP; and plastic synapse updates per second.
    /// </summary>
    private static Command Stdp()
    {
        var n = CommonOptions.N(4000);
        var duration = CommonOptions.DurationMs();
        var repeats = new Option<int>("--repeats") { Description = "Runs of each; the median is reported", DefaultValueFactory = _ => 3 };
        var seed = CommonOptions.Seed();
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var command = new Command("stdp", "The cost of STDP on CUBA's excitatory synapses against the static network")
        {
            n, duration, repeats, seed, threads, json,
        };
        command.SetAction(parse =>
        {
            var (size, ms, s) = (parse.GetValue(n), parse.GetValue(duration), parse.GetValue(seed));
            using var backend = CommonOptions.OpenDevice(DeviceKind.Cpu, parse.GetValue(threads));
            var w = VogelsAbbottCuba.WeightExcitatory;
            var pair = new PairStdp(APlus: 0.005 * w, AMinus: 0.00525 * w, WMin: 0, WMax: 2 * w);
            var dopamine = new Neuromodulator(TauNMs: 200);
            var variants = new (string Name, IPlasticityRule? Rule)[]
            {
                ("static", null),
                ("pair STDP", pair),
                ("three-factor STDP", new ThreeFactorStdp(pair, dopamine, TauCMs: 1000, LearningRate: 0.01, B: -0.01)),
            };
            var rows = new List<object>();
            double? staticSeconds = null;
            foreach (var (name, rule) in variants)
            {
                var (network, neurons) = VogelsAbbottCuba.Build(size, s, rule);
                var times = new List<double>();
                long spikes = 0;
                for (var r = 0; r < Math.Max(1, parse.GetValue(repeats)) + 1; r++)
                {
                    using var simulation = new TimeStepSimulation(network, backend, new TimeStepOptions(VogelsAbbottCuba.DtMs, Seed: s));
                    var recorder = simulation.Observe(new SpikeRecorder(neurons, 0));
                    var clock = Stopwatch.StartNew();
                    simulation.Run((int)Math.Round(ms / VogelsAbbottCuba.DtMs));
                    if (r > 0) times.Add(clock.Elapsed.TotalSeconds); // the first run warms up
                    spikes = recorder.Total;
                }
                var median = times.Order().ElementAt(times.Count / 2);
                staticSeconds ??= median;
                // Each spike updates its row (as pre) and its column (as post): about one excitatory in-degree
                // and out-degree each; a three-factor rule also steps every plastic synapse every step.
                var plastic = network.Projections.Where(p => p.Plasticity is not null).Sum(p => p.Connectivity.SynapseCount);
                var pairings = rule is null ? 0 : 2.0 * spikes * plastic / size;
                var synapseSteps = rule is ThreeFactorStdp ? plastic * ms / VogelsAbbottCuba.DtMs : 0;
                Console.WriteLine($"{name,-18} run {median:0.0000} s (median of {times.Count}), {spikes} spikes, {median / staticSeconds:0.00} × static" +
                                  (rule is null ? "" : $", {pairings / median / 1e6:0.#} M pairing updates/s") +
                                  (synapseSteps == 0 ? "" : $", {synapseSteps / median / 1e9:0.##} G eligibility steps/s"));
                rows.Add(new
                {
                    variant = name, run_s = median, spikes, ratio_to_static = median / staticSeconds,
                    pairing_updates_per_s = pairings / median, eligibility_steps_per_s = synapseSteps / median,
                });
            }
            if (parse.GetValue(json) is { } path) JsonFile.Write(path, new { n = size, duration_ms = ms, variants = rows });
            return 0;
        });
        return command;
    }
}
