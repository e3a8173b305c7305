using System.CommandLine;
using SpikeSim.Cli.Commands;
using System.Diagnostics;
using ScottPlot;
using SpikeSim.Cli.Output;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Files;

namespace SpikeSim.Experiments.DistalReward;

/// <summary><c>spikesim simulate distal-reward</c>: Izhikevich's (2007) distal reward experiment.</summary>
public sealed class DistalRewardCommands : ICommandSource
{
    /// <inheritdoc />
    public void AddTo(CommandTree tree)
    {
        tree.Add(CommandGroup.Simulate, Create());
        // The network is built for dt = 1 ms (its delays and reward timing are whole milliseconds).
        tree.Add(new NetworkRecipe("distal-reward", "Izhikevich's (2007) distal-reward network (dt 1 ms)", request => (DistalReward.Build(request.Seed).Network, DistalReward.DtMs)));
    }

    private static Command Create()
    {
        var minutes = new Option<double>("--minutes") { Description = "Simulated minutes", DefaultValueFactory = _ => 60.0 }.Within(0, 100_000, minExclusive: true);
        var seed = CommonOptions.Seed();
        var threads = CommonOptions.Threads();
        var plot = OutputFile.Create("--plot", "Save the chosen weight against the others over time as PNG to FILE");
        var json = CommonOptions.Json();
        var record = new RecordOptions();
        var command = new Command("distal-reward", "Izhikevich (2007): dopamine-modulated STDP singles out one rewarded synapse")
        {
            minutes, seed, threads, plot, json,
        };
        record.AddTo(command);
        command.SetAction(parse =>
        {
            var steps = DistalReward.Steps(parse.GetValue(minutes));
            var setup = DistalReward.Build(parse.GetValue(seed));
            using var backend = CommonOptions.OpenDevice(DeviceKind.Cpu, parse.GetValue(threads));
            using var simulation = new TimeStepSimulation(setup.Network, backend, new TimeStepOptions(DistalReward.DtMs, Seed: parse.GetValue(seed)));
            var reward = simulation.Observe(new DistalReward.Reward(setup, simulation, parse.GetValue(seed)));
            using var recording = record.Start(parse, simulation, DistalReward.DtMs);
            var samples = new List<(double Minutes, float Chosen, double Mean, double P99)>();
            Sample(0);
            var chunk = Math.Min(steps, 10_000);
            var clock = Stopwatch.StartNew();
            ProgressDisplay.Run("distal reward", steps, progress =>
            {
                for (var done = 0; done < steps; done += chunk)
                {
                    simulation.RunSteps(Math.Min(chunk, steps - done));
                    Sample(simulation.TimeMs / 60_000);
                    progress.Report(simulation.StepsDone);
                }
                return 0;
            });
            var seconds = clock.Elapsed.TotalSeconds;
            recording?.Complete(parse.GetValue(seed));
            var last = samples[^1];
            var max = simulation.Weights(setup.ExcitatoryToExcitatory).Max();
            Console.WriteLine($"distal reward: {last.Minutes:0.##} min in {seconds:0.#} s; chosen synapse {last.Chosen:0.###} of Wmax {DistalReward.WMax}, " +
                              $"others mean {last.Mean:0.###}, 99th percentile {last.P99:0.###}, largest {max:0.###}; {reward.Delivered} rewards");
            if (parse.GetValue(plot) is { } png) SavePlot(png, samples);
            if (parse.GetValue(json) is { } path)
                JsonFile.Write(path, new
                {
                    chosen_weight = last.Chosen, max_weight = max, others_mean = last.Mean, others_p99 = last.P99,
                    minutes = last.Minutes, run_s = seconds, rewards = reward.Delivered, seed = parse.GetValue(seed),
                    w_max = DistalReward.WMax, trace = samples.Select(s => new { minutes = s.Minutes, chosen = s.Chosen, mean = s.Mean, p99 = s.P99 }),
                });
            return 0;

            void Sample(double at)
            {
                var weights = simulation.Weights(setup.ExcitatoryToExcitatory);
                var chosen = weights[setup.ChosenSynapse];
                var others = weights.Where((_, k) => k != setup.ChosenSynapse).Order().ToArray();
                samples.Add((at, chosen, others.Average(), others[(int)(0.99 * (others.Length - 1))]));
            }
        });
        return command;
    }

    private static void SavePlot(string path, List<(double Minutes, float Chosen, double Mean, double P99)> samples)
    {
        var plot = new Plot();
        var x = samples.Select(s => s.Minutes).ToArray();
        var chosen = plot.Add.ScatterLine(x, samples.Select(s => (double)s.Chosen).ToArray());
        chosen.LegendText = "chosen synapse";
        chosen.LineWidth = 2;
        var p99 = plot.Add.ScatterLine(x, samples.Select(s => s.P99).ToArray());
        p99.LegendText = "others, 99th percentile";
        var mean = plot.Add.ScatterLine(x, samples.Select(s => s.Mean).ToArray());
        mean.LegendText = "others, mean";
        plot.Add.HorizontalLine(DistalReward.WMax, pattern: LinePattern.Dashed).LegendText = "Wmax";
        plot.XLabel("time (min)");
        plot.YLabel("synaptic weight");
        plot.Title("Distal reward (Izhikevich 2007)");
        plot.ShowLegend(Alignment.MiddleRight);
        AtomicFile.Write(path, temporary => plot.SavePng(temporary, 1000, 600));
    }
}
