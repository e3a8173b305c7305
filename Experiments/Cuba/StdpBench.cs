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

/// <summary>
/// <c>spikesim bench stdp</c>: CUBA with every excitatory synapse plastic against the static run, in
/// one call, for pair STDP and three-factor STDP; and plastic synapse updates per second.
/// </summary>
internal static class StdpBench
{
    public static Command Create()
    {
        var n = CommonOptions.N(4000);
        var duration = CommonOptions.DurationMs();
        var repeats = new Option<int>("--repeats") { Description = "Runs of each; the median is reported", DefaultValueFactory = _ => 3 }.Within(1, 1000);
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
                    simulation.RunSteps((int)Math.Round(ms / VogelsAbbottCuba.DtMs));
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
