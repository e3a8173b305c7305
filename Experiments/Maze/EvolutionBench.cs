using System.CommandLine;
using System.Diagnostics;
using SpikeSim.Cli.Commands;
using SpikeSim.Cli.Output;
using SpikeSim.Cluster;
using SpikeSim.Learning.Evolution;
using SpikeSim.Learning.Training;

namespace SpikeSim.Experiments.Maze;

/// <summary>
/// <c>spikesim bench evolution</c>: maze lifetimes per second per core, for this process's threads and for a local
/// cluster of worker processes, over the same generations of the same evolution (whose results must agree).
/// </summary>
internal static class EvolutionBench
{
    public static Command Create()
    {
        var agent = new ChoiceOption<MazeAgentChoice>("--agent", "Agent: decomposed, full, rnn or spiking", MazeAgentChoice.Decomposed);
        var generations = new Option<int>("--generations") { Description = "Generations timed", DefaultValueFactory = _ => 3 }.Within(1, 1000);
        var population = new Option<int>("--population") { Description = "Candidates per generation", DefaultValueFactory = _ => 80 }.Within(4, 100_000).Check(p => p % 2 == 0, "an even number (mirrored samples)");
        var hidden = new Option<int>("--hidden") { Description = "Recurrent neurons", DefaultValueFactory = _ => 16 }.Within(1, 10_000);
        var mazes = new Option<int>("--mazes") { Description = "Mazes per generation", DefaultValueFactory = _ => 12 }.Within(1, 100_000);
        var size = new Option<int>("--size") { Description = "Maze size", DefaultValueFactory = _ => 15 }.Within(5, 101);
        var workers = new Option<int>("--workers") { Description = "Worker processes of the local cluster (0: time this process only)", DefaultValueFactory = _ => 2 }.Within(0, 256);
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var command = new Command("evolution", "Maze lifetimes per second per core: this process against a local cluster of worker processes")
        {
            agent.Option, generations, population, hidden, mazes, size, workers, threads, json,
        };
        command.SetAction(parse =>
        {
            var (g, pop, n, m, s, w) = (parse.GetValue(generations), parse.GetValue(population), parse.GetValue(hidden), parse.GetValue(mazes), parse.GetValue(size), parse.GetValue(workers));
            var cores = parse.GetValue(threads) > 0 ? parse.GetValue(threads) : Environment.ProcessorCount;
            var settings = new MazeFitnessJob.Settings(agent.From(parse), n, ActionPolicyKind.Softmax, m, s, 1);
            var maze = settings.Agent.Create(n, settings.Policy);
            var lifetimes = (double)g * pop * m;
            Console.WriteLine($"bench evolution: {OptionName.Of(settings.Agent)} agent, hidden {n}, {g} generations × {pop} candidates × {m} {s}×{s} mazes = {lifetimes:0} lifetimes");
            (double Seconds, double Best) Time(ICandidateEvaluator evaluator)
            {
                var start = new double[maze.ParameterCount];
                Gaussian.Scaled(start, 1, 0.05);
                var es = new DiagonalCmaEs(start, 1, pop, sigma: 0.01);
                var clock = Stopwatch.StartNew();
                var history = EvolutionRun.Run(es, evaluator, g, 1);
                return (clock.Elapsed.TotalSeconds, history[^1].Best);
            }
            var here = Time(new MazeEvolution.PopulationEvaluator(maze, m, s, 1, cores));
            Console.WriteLine($"  this process, {cores} thread{(cores == 1 ? "" : "s")}: {here.Seconds:0.00} s, {lifetimes / here.Seconds:0} lifetimes/s, {lifetimes / here.Seconds / cores:0} per core");
            object? clustered = null;
            if (w > 0)
            {
                var perWorker = Math.Max(1, cores / w);
                using var session = ClusterSession.Start(new ClusterAddress.Local(w), perWorker, line => Console.WriteLine($"  {line}"));
                var there = Time(new MazeFitnessJob().On(session, settings));
                var used = w * perWorker;
                Console.WriteLine($"  local:{w} ({perWorker} thread{(perWorker == 1 ? "" : "s")} each): {there.Seconds:0.00} s, {lifetimes / there.Seconds:0} lifetimes/s, {lifetimes / there.Seconds / used:0} per core" +
                                  $"; {here.Seconds / there.Seconds:0.00}× this process" + (there.Best == here.Best ? "; same best fitness" : $"; best fitness differs ({there.Best} against {here.Best})!"));
                clustered = new { workers = w, threads_per_worker = perWorker, seconds = there.Seconds, lifetimes_per_s = lifetimes / there.Seconds, lifetimes_per_s_per_core = lifetimes / there.Seconds / used, same_result = there.Best == here.Best };
            }
            if (parse.GetValue(json) is { } file)
                JsonFile.Write(file, new
                {
                    agent = OptionName.Of(settings.Agent), hidden = n, generations = g, population = pop, mazes = m, size = s, lifetimes,
                    in_process = new { threads = cores, seconds = here.Seconds, lifetimes_per_s = lifetimes / here.Seconds, lifetimes_per_s_per_core = lifetimes / here.Seconds / cores },
                    cluster = clustered,
                });
            return 0;
        });
        return command;
    }
}
