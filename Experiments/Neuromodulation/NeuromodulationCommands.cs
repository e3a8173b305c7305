using System.CommandLine;
using SpikeSim.Cli.Commands;
using ScottPlot;
using SpikeSim.Cli.Output;
using SpikeSim.Learning.Evolution;
using SpikeSim.Learning.Torch;
using SpikeSim.Learning.Torch.Neuromodulation;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Files;

namespace SpikeSim.Experiments.Neuromodulation;

/// <summary>
/// <c>spikesim meta neuromodulation</c>: evolve a controller of per-layer learning rate and momentum on Yin-Yang
/// (a 4-64-64-3 MLP, fitness = validation accuracy), then apply it unchanged to MNIST with a 784-256-10 MLP and
/// compare with the best fixed learning rate of a grid at the same budget.
/// </summary>
public sealed class NeuromodulationCommands : ICommandSource
{
    /// <inheritdoc />
    public void AddTo(CommandTree tree)
    {
        tree.Add(CommandGroup.Meta, Create());
        tree.Add(new ControllerFitnessJob());
    }

    /// <summary>The genome starts at zero (η = 0.01, α = 0.495 for every layer), searched with σ₀ 0.5: the outputs pass through tanh and a sigmoid, so a wide first search.</summary>
    private const double InitialSigma = 0.5;

    private static Command Create()
    {
        var generations = new Option<int>("--generations") { DefaultValueFactory = _ => 20, Description = "Generations" }.Within(1, 1_000_000);
        var population = new Option<int>("--population") { DefaultValueFactory = _ => 16, Description = "Candidates per generation" }.Within(4, 100_000).Check(p => p % 2 == 0, "an even number (mirrored samples)");
        var epochs = new Option<int>("--epochs") { DefaultValueFactory = _ => 3, Description = "Training epochs, in evolution and in the transfer" }.Within(1, 10_000);
        var seeds = new Option<int>("--seeds") { DefaultValueFactory = _ => 3, Description = "Seeds of the transfer comparison" }.Within(1, 1000);
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 17, Description = "Seed of the evolution (a resumed run keeps its checkpoint's)" };
        var threads = CommonOptions.Threads();
        var cluster = new ClusterOption(new ControllerFitnessJob());
        var json = CommonOptions.Json();
        var plot = OutputFile.Create("--plot", "Save fitness over generations as PNG");
        var checkpoint = new CheckpointOptions("generation", "--generations");
        var command = new Command("neuromodulation", "Evolve per-layer learning-rate and momentum control on Yin-Yang; test it on MNIST (arXiv 1812.03365)")
        {
            generations, population, epochs, seeds, seed, threads, json, plot,
        };
        checkpoint.AddTo(command);
        cluster.AddTo(command);
        command.SetAction(parse =>
        {
            var (checkpointPath, resume) = checkpoint.From(parse);
            var (g, p, e, k) = (parse.GetValue(generations), parse.GetValue(population), parse.GetValue(epochs), parse.GetValue(seeds));
            if (g < 1 || p < 4 || p % 2 != 0 || e < 1 || k < 1) throw new InvalidParameterException("--generations, --epochs, --seeds ≥ 1 and an even --population ≥ 4 are needed.");
            var workers = parse.GetValue(threads) > 0 ? parse.GetValue(threads) : Environment.ProcessorCount;
            TorchThreads.Use(workers > 1 ? 1 : parse.GetValue(threads));
            var small = ControllerFitnessJob.Small;
            using var session = cluster.Start(parse, parse.GetValue(threads));
            var job = new ControllerFitnessJob();
            var settings = new ControllerFitnessJob.Settings(e);
            ICandidateEvaluator evaluator = session is null ? new ParallelEvaluator(job.Fitness(settings), workers) : job.On(session, settings);
            Console.WriteLine($"neuromodulation: evolving a {LearningRateController.GenomeLength}-parameter controller on Yin-Yang ({small}, {e} epochs, fitness = validation accuracy over 2 seeds), " +
                              $"population {p}, {g} generations, {evaluator.Description}");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var resumed = resume ? EvolutionCheckpoint.LoadFor(checkpointPath!, EvolutionStrategyKind.Cma, LearningRateController.GenomeLength, "the controller") : null;
            var es = resumed is null ? new DiagonalCmaEs(new double[LearningRateController.GenomeLength], (ulong)parse.GetValue(seed), p, sigma: InitialSigma) : new DiagonalCmaEs(resumed.State, p);
            if (resumed is not null) Console.WriteLine($"  resumed after generation {resumed.State.Generation}");
            var history = EvolutionRun.Run(es, evaluator, g, es.State.Seed,
                r => Console.WriteLine($"  generation {r.Generation}: best {r.Best:P2}, mean {r.Mean:P2} ({r.Seconds:0.0} s)" + (session is null ? "" : $"; workers: {session.LastRound}")),
                checkpointPath, resumed?.History);
            var evolutionSeconds = history.Sum(h => h.Seconds);
            var controller = new LearningRateController(es.Mean);

            var (mnistTrain, mnistTest) = Learning.Data.Mnist.NpmDigits(Learning.Data.Mnist.DefaultCache, m => Console.Error.WriteLine(m));
            var mnist = new TaskData(mnistTrain, null, mnistTest);
            var large = new AnnModelSpec(784, [256], 10);
            var seedList = Enumerable.Range(1, k).ToArray();
            var evolved = seedList.Select(s => ControlledTraining.Run(large, mnist, e, 64, s, controller, 0, 0)).ToArray();
            var grid = new[] { 0.01, 0.03, 0.1, 0.3 }.Select(lr => (Rate: lr, Accuracy: seedList.Select(s => ControlledTraining.Run(large, mnist, e, 64, s, null, lr, 0.9)).ToArray())).ToList();
            var best = grid.OrderByDescending(x => x.Accuracy.Average()).First();
            Console.WriteLine($"transfer to MNIST ({large}, {e} epochs, seeds {string.Join(", ", seedList)}), test accuracy:");
            Console.WriteLine($"  evolved controller: {string.Join(", ", evolved.Select(a => a.ToString("P2")))}; mean {evolved.Average():P2}");
            foreach (var (rate, accuracy) in grid)
                Console.WriteLine($"  fixed lr {rate,-5:g} momentum 0.9: {string.Join(", ", accuracy.Select(a => a.ToString("P2")))}; mean {accuracy.Average():P2}" + (rate == best.Rate ? "  ← best of the grid" : ""));
            Console.WriteLine($"evolution {evolutionSeconds:0} s, everything {clock.Elapsed.TotalSeconds:0} s");
            if (parse.GetValue(json) is { } file)
                JsonFile.Write(file, new
                {
                    generations = g, population = p, epochs = e, evolution_seed = es.State.Seed, initial_sigma = InitialSigma, transfer_seeds = seedList, evolution_seconds = evolutionSeconds, best = history.Select(h => h.Best), mean = history.Select(h => h.Mean),
                    controller = es.Mean, transfer_evolved = evolved, transfer_grid = grid.Select(x => new { lr = x.Rate, accuracy = x.Accuracy }), best_fixed_lr = best.Rate,
                });
            if (parse.GetValue(plot) is { } png)
            {
                var chart = new Plot();
                var gens = history.Select(h => (double)h.Generation).ToArray();
                chart.Add.Scatter(gens, history.Select(h => 100 * h.Best).ToArray()).LegendText = "best";
                chart.Add.Scatter(gens, history.Select(h => 100 * h.Mean).ToArray()).LegendText = "mean";
                chart.Title("Evolving learning-rate control on Yin-Yang: validation accuracy (%)");
                CountAxis.Apply(chart, gens.DefaultIfEmpty(0).Min(), gens.DefaultIfEmpty(0).Max(), "generation");
                chart.ShowLegend(Edge.Right);
                AtomicFile.Write(png, temporary => chart.SavePng(temporary, 900, 450));
            }
            return 0;
        });
        return command;
    }
}
