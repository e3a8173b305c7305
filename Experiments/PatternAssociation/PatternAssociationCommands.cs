using System.CommandLine;
using SpikeSim.Cli.Commands;
using System.Diagnostics;
using SpikeSim.Cli.Output;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Engines;
using SpikeSim.Experiments.DistalReward;

namespace SpikeSim.Experiments.PatternAssociation;

/// <summary><c>spikesim simulate rstdp-patterns</c>: reward-modulated STDP learns which output answers which pattern.</summary>
public sealed class PatternAssociationCommands : ICommandSource
{
    /// <inheritdoc />
    public void AddTo(CommandTree tree) => tree.Add(CommandGroup.Simulate, Create());

    private static Command Create()
    {
        var patterns = new Option<int>("--patterns") { Description = "Number of patterns (and outputs)", DefaultValueFactory = _ => 2 }.Within(2, 100);
        var trials = new Option<int>("--trials") { Description = "Trials of 300 ms each", DefaultValueFactory = _ => 1000 }.Within(1, 10_000_000);
        var control = new Option<bool>("--control") { Description = "Run without learning (learning rate 0), for comparison" };
        var seed = CommonOptions.Seed();
        var json = CommonOptions.Json();
        var record = new RecordOptions();
        var command = new Command("rstdp-patterns", "Reward-modulated STDP associates frozen Poisson patterns with outputs")
        {
            patterns, trials, control, seed, json,
        };
        record.AddTo(command);
        command.SetAction(parse =>
        {
            var setup = PatternAssociation.Build(parse.GetValue(patterns), parse.GetValue(trials), parse.GetValue(seed),
                parse.GetValue(control) ? 0 : 0.0005);
            using var backend = CommonOptions.OpenDevice(DeviceKind.Cpu, 1);
            using var simulation = new TimeStepSimulation(setup.Network, backend, new TimeStepOptions(PatternAssociation.DtMs, Seed: parse.GetValue(seed)));
            var trainer = simulation.Observe(new PatternAssociation.Trainer(setup, simulation));
            using var recording = record.Start(parse, simulation, PatternAssociation.DtMs);
            var steps = (int)Math.Round(parse.GetValue(trials) * PatternAssociation.TrialMs / PatternAssociation.DtMs);
            var clock = Stopwatch.StartNew();
            ProgressDisplay.Run("pattern association", steps, progress =>
            {
                simulation.RunSteps(steps, progress);
                return 0;
            });
            var seconds = clock.Elapsed.TotalSeconds;
            recording?.Complete(parse.GetValue(seed));
            var blocks = trainer.Correct.Chunk(100).Select(b => b.Average(c => c ? 1.0 : 0.0)).ToArray();
            Console.WriteLine($"pattern association ({(parse.GetValue(control) ? "control, no learning" : "learning")}): {trainer.Correct.Count} trials in {seconds:0.#} s; " +
                              $"correct per 100 trials: {string.Join(" ", blocks.Select(b => b.ToString("0.00")))}; last 100: {trainer.Accuracy(100):0.00}");
            if (parse.GetValue(json) is { } path)
                JsonFile.Write(path, new
                {
                    patterns = parse.GetValue(patterns), trials = trainer.Correct.Count, seed = parse.GetValue(seed), learning = !parse.GetValue(control),
                    accuracy_last_100 = trainer.Accuracy(100), accuracy_per_100 = blocks, run_s = seconds,
                });
            return 0;
        });
        return command;
    }
}
