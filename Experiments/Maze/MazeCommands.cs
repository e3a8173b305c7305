using System.CommandLine;
using SpikeSim.Cli.Commands;
using ScottPlot;
using SpikeSim.Cli.Output;
using SpikeSim.Learning.Evolution;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Files;
using SpikeSim.Learning.Plasticity;

namespace SpikeSim.Experiments.Maze;

/// <summary><c>spikesim meta maze</c>: evolving plasticity rules (Wang et al. 2022) that learn a maze within a lifetime.</summary>
public sealed class MazeCommands : ICommandSource
{
    /// <inheritdoc />
    public void AddTo(CommandTree tree)
    {
        tree.Add(CommandGroup.Meta, Create());
        tree.Add(new MazeFitnessJob());
        tree.Add(CommandGroup.Bench, EvolutionBench.Create());
        tree.Add((path, file) => file.Evolved is not null && EvolvedAgentExport.Inspect(path, file) == 0);
    }

    private static Command Create()
    {
        var agent = new ChoiceOption<MazeAgentChoice>("--agent", "Agent: decomposed, full, rnn (non-plastic) or spiking (decomposed rule on LIF neurons, three-factor)", MazeAgentChoice.Decomposed);
        var policy = new ChoiceOption<ActionPolicyKind>("--policy",
            "How the agent picks a move: softmax (a sample of softmax(logits)) or gated-argmax (an evolved gate g: the greedy move with probability ½·tanh(g) + ½, as the authors' code of Wang et al.; rate agents)",
            ActionPolicyKind.Softmax);
        var strategy = new ChoiceOption<EvolutionStrategyKind>("--strategy", "cma (diagonal CMA-ES) or openai", EvolutionStrategyKind.Cma);
        var generations = new Option<int>("--generations") { Description = "Generations", DefaultValueFactory = _ => 100 }.Within(1, 10_000_000);
        var population = new Option<int>("--population") { Description = "Candidates per generation", DefaultValueFactory = _ => 80 }.Within(4, 100_000).Check(p => p % 2 == 0, "an even number (mirrored samples)");
        var hidden = new Option<int>("--hidden") { Description = "Recurrent neurons", DefaultValueFactory = _ => 16 }.Within(1, 10_000);
        var mazes = new Option<int>("--mazes") { Description = "New mazes per generation (shared by all candidates)", DefaultValueFactory = _ => 12 }.Within(1, 100_000);
        var repeats = new Option<int>("--repeats") { Description = "Lifetimes per maze, each sampling its own actions (Wang et al.: 4)", DefaultValueFactory = _ => 1 }.Within(1, 1000);
        var size = new Option<int>("--size") { Description = "Maze size (9, 15, 21)", DefaultValueFactory = _ => 15 }.Within(5, 101);
        var heldOut = new Option<int>("--held-out") { Description = "Held-out mazes for the final evaluation", DefaultValueFactory = _ => 40 }.Within(1, 1_000_000);
        var seed = new Option<int>("--seed") { Description = "Seed of the run (a resumed run keeps its checkpoint's) and of the held-out mazes", DefaultValueFactory = _ => 1 };
        var sigma = new Option<double>("--sigma") { Description = "Initial step size σ₀ (Wang et al.: 0.01)", DefaultValueFactory = _ => 0.01 }.Within(0, 100, minExclusive: true);
        var threads = CommonOptions.Threads();
        var cluster = new ClusterOption(new MazeFitnessJob());
        var json = CommonOptions.Json();
        var plot = OutputFile.Create("--plot", "Save fitness over generations and steps per episode on held-out mazes as PNG");
        var checkpoint = new CheckpointOptions("generation", "--generations");
        var export = OutputFile.Create("--export", "Write the evolved spiking agent (--agent spiking), its rules included, as a SpikeSim model file");
        var command = new Command("maze", "Evolve plasticity rules that learn random mazes within a lifetime (Wang et al. 2022)")
        {
            agent.Option, policy.Option, strategy.Option, generations, population, hidden, mazes, repeats, size, heldOut, seed, sigma, threads, json, plot, export,
        };
        checkpoint.AddTo(command);
        cluster.AddTo(command);
        command.SetAction(parse =>
        {
            var (checkpointPath, resume) = checkpoint.From(parse);
            var (g, pop, n, m, s) = (parse.GetValue(generations), parse.GetValue(population), parse.GetValue(hidden), parse.GetValue(mazes), parse.GetValue(size));
            var r = parse.GetValue(repeats);
            if (g < 1 || pop < 4 || pop % 2 != 0 || n < 1 || m < 1 || r < 1 || s < 5)
                throw new InvalidParameterException("--generations ≥ 1, an even --population ≥ 4, --hidden ≥ 1, --mazes ≥ 1, --repeats ≥ 1 and --size ≥ 5 are needed.");
            var threadCount = parse.GetValue(threads) > 0 ? parse.GetValue(threads) : Environment.ProcessorCount;
            var (agentKind, policyKind, strategyKind) = (agent.From(parse), policy.From(parse), strategy.From(parse));
            var (agentName, policyName) = (OptionName.Of(agentKind), OptionName.Of(policyKind));
            var maze = agentKind.Create(n, policyKind);
            if (parse.GetValue(export) is not null && maze is not SpikingMazeAgent)
                throw new InvalidParameterException("--export writes the spiking agent (--agent spiking): the model file has LIF neurons and decomposed rules, but no tanh units for the rate agents.");
            var seedValue = (ulong)parse.GetValue(seed);
            var start = new double[maze.ParameterCount];
            Learning.Evolution.Gaussian.Scaled(start, seedValue, 0.05);
            var resumed = resume ? EvolutionCheckpoint.LoadFor(checkpointPath!, strategyKind, maze.ParameterCount, $"the {agentName} agent with --hidden {n} and --policy {policyName}") : null;
            var state = resumed?.State;
            IEvolutionStrategy es = (strategyKind, state) switch
            {
                (EvolutionStrategyKind.Cma, null) => new DiagonalCmaEs(start, seedValue, pop, sigma: parse.GetValue(sigma)),
                (EvolutionStrategyKind.Cma, { } st) => new DiagonalCmaEs(st, pop),
                (EvolutionStrategyKind.OpenAI, null) => new OpenAiEs(start, seedValue, pop, sigma: parse.GetValue(sigma)),
                (EvolutionStrategyKind.OpenAI, { } st) => new OpenAiEs(st, pop),
                var (x, _) => throw new ArgumentOutOfRangeException(nameof(strategy), x, null),
            };
            using var session = cluster.Start(parse, parse.GetValue(threads));
            ICandidateEvaluator evaluator = session is null
                ? new MazeEvolution.PopulationEvaluator(maze, m, s, r, threadCount)
                : new MazeFitnessJob().On(session, new MazeFitnessJob.Settings(agentKind, n, policyKind, m, s, r));
            Console.WriteLine($"maze: {agentName} agent ({policyName} policy), {maze.ParameterCount} evolved parameters, {OptionName.Of(es.Kind)} ES, population {pop}, {g} generations, " +
                              $"{m} new {s}×{s} mazes per generation" + (r > 1 ? $" × {r} lifetimes each" : "") + $", {evaluator.Description}" + (state is null ? "" : $", resumed after generation {state.Generation}"));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            // A resumed run draws its mazes from the checkpoint's seed, so it continues as the uninterrupted run would;
            // --seed then chooses only the held-out set.
            var history = EvolutionRun.Run(es, evaluator, g, state?.Seed ?? seedValue,
                x => Console.WriteLine($"  generation {x.Generation}: best {x.Best:0.000}, mean {x.Mean:0.000} ({x.Seconds:0.0} s)" + (session is null ? "" : $"; workers: {session.LastRound}")),
                checkpointPath, resumed?.History);
            var evaluation = MazeEvolution.Evaluate(maze, es.Mean, parse.GetValue(heldOut), s, seedValue ^ 0x5eed);
            Console.WriteLine($"held-out ({evaluation.Mazes} mazes), mean steps per episode 1–8: {string.Join(", ", evaluation.MeanSteps.Select(v => v.ToString("0.0")))}; " +
                              $"episode 8 / episode 1 = {evaluation.MeanSteps[^1] / evaluation.MeanSteps[0]:0.00}; episode-8 reward {evaluation.MeanScore[^1]:0.000}; {clock.Elapsed.TotalSeconds:0} s");
            if (parse.GetValue(json) is { } file)
                JsonFile.Write(file, new
                {
                    agent = agentName, policy = policyName, strategy = OptionName.Of(es.Kind), generations = g, population = pop, hidden = n, mazes_per_generation = m, repeats = r, size = s,
                    // The evolution's seed is the checkpoint's on resume; σ₀ is known only to the run that started it (null on resume).
                    evolution_seed = es.State.Seed, held_out_seed = seedValue, initial_sigma = state is null ? parse.GetValue(sigma) : (double?)null, final_sigma = es.State.Sigma,
                    parameters = maze.ParameterCount, seconds = clock.Elapsed.TotalSeconds, evolution_seconds = history.Sum(h => h.Seconds), best = history.Select(h => h.Best), mean = history.Select(h => h.Mean),
                    held_out_steps = evaluation.MeanSteps, held_out_reward = evaluation.MeanScore, held_out_mazes = evaluation.Mazes,
                });
            if (parse.GetValue(plot) is { } png) Plot(png, history, evaluation);
            if (parse.GetValue(export) is { } modelFile)
                EvolvedAgentExport.Write(modelFile, (SpikingMazeAgent)maze, es.Mean, new SpikeSim.Export.Proto.EvolvedAgent
                {
                    Strategy = OptionName.Of(es.Kind), Generations = (uint)es.Generation, Population = (uint)pop, MazeSize = (uint)s,
                    HeldOutSteps = { evaluation.MeanSteps }, HeldOutMazes = (uint)evaluation.Mazes,
                });
            return 0;
        });
        return command;
    }

    private static void Plot(string path, List<GenerationResult> history, MazeEvaluation evaluation)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        var fitness = multiplot.GetPlot(0);
        var gens = history.Select(h => (double)h.Generation).ToArray();
        // Each series raw; over many generations raw faint and its running average bold, in the same colour.
        var window = Math.Max(1, history.Count / 60);
        foreach (var (name, values) in new[] { ("best", history.Select(h => h.Best).ToArray()), ("mean", history.Select(h => h.Mean).ToArray()) })
        {
            var raw = fitness.Add.Scatter(gens, values);
            (raw.LegendText, raw.MarkerSize, raw.LineWidth) = (name, window == 1 ? 3 : 0, window == 1 ? 2 : 1);
            if (window == 1) continue;
            var smooth = fitness.Add.Scatter(gens, RunningMean(values, window));
            (smooth.LegendText, smooth.MarkerSize, smooth.LineWidth, smooth.Color) = ($"{name}, {window}-generation running average", 0, 2, raw.Color);
            raw.Color = raw.Color.WithAlpha(0.3);
        }
        fitness.Title("fitness over generations");
        CountAxis.Apply(fitness, gens.DefaultIfEmpty(0).Min(), gens.DefaultIfEmpty(0).Max(), "generation");
        fitness.ShowLegend(Edge.Right);
        var steps = multiplot.GetPlot(1);
        var episodes = Enumerable.Range(1, evaluation.MeanSteps.Length).Select(e => (double)e).ToArray();
        steps.Add.Bars(episodes, evaluation.MeanSteps);
        steps.Axes.Bottom.SetTicks(episodes, episodes.Select(e => $"{e}").ToArray());
        steps.Title($"mean steps per episode in a lifetime ({evaluation.Mazes} held-out mazes)");
        steps.XLabel("episode");
        AtomicFile.Write(path, temporary => multiplot.SavePng(temporary, 1000, 700));
    }

    private static double[] RunningMean(double[] values, int window)
    {
        var result = new double[values.Length];
        double sum = 0;
        for (var i = 0; i < values.Length; i++)
        {
            sum += values[i];
            if (i >= window) sum -= values[i - window];
            result[i] = sum / Math.Min(i + 1, window);
        }
        return result;
    }
}
