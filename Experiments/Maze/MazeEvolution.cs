using SpikeSim.Learning.Evolution;
using SpikeSim.Learning.Plasticity;

namespace SpikeSim.Experiments.Maze;

/// <summary>Held-out behaviour of an evolved maze agent: mean steps and reward per episode of the lifetime.</summary>
public sealed record MazeEvaluation(double[] MeanSteps, double[] MeanScore, int Mazes);

/// <summary>Evolving maze agents: fitness on fresh mazes each generation, and evaluation on held-out mazes.</summary>
public static class MazeEvolution
{
    /// <summary>
    /// The fitness function: <paramref name="mazes"/> new mazes per generation seed, shared by the whole generation,
    /// each lived <paramref name="repeats"/> times with its own sampling of actions (Wang et al.: 12 mazes × 4),
    /// the mean over all lifetimes. Lifetime k of the list (maze k / repeats) samples its actions from seed + k,
    /// so one repeat is the plain list of mazes.
    /// </summary>
    public static Func<double[], ulong, double> Fitness(MazeLearner agent, int mazes, int size, int repeats = 1)
    {
        if (mazes < 1 || repeats < 1) throw new ArgumentException("At least one maze and one repeat are needed.");
        return (theta, seed) => agent.Fitness(theta, Generation(seed, mazes, size, repeats), seed);
    }

    /// <summary>The mazes of the generation with evaluation seed <paramref name="seed"/>, each repeated <paramref name="repeats"/> times.</summary>
    private static List<Maze> Generation(ulong seed, int mazes, int size, int repeats) =>
        [.. Enumerable.Range(0, mazes).Select(m => Maze.Generate(size, Simulator.Random.CounterRng.Hash(seed, 7, (uint)m))).SelectMany(maze => Enumerable.Repeat(maze, repeats))];

    /// <summary>
    /// The same fitness for a whole population at once: every candidate's lifetimes, candidates × mazes, packed into
    /// the agent's lanes and lived batch by batch on <paramref name="threads"/> threads — the same numbers as
    /// <see cref="Fitness"/> one candidate at a time (a lifetime's bits do not depend on its lane neighbours).
    /// </summary>
    public sealed class PopulationEvaluator(MazeLearner agent, int mazes, int size, int repeats, int threads) : ICandidateEvaluator
    {
        /// <inheritdoc />
        public double[] Evaluate(double[][] candidates, ulong seed)
        {
            var list = Generation(seed, mazes, size, repeats);
            var perCandidate = list.Count;
            var results = new (double[] Scores, int[] Steps)[candidates.Length * perCandidate];
            var batches = (results.Length + agent.Lanes - 1) / agent.Lanes;
            Parallel.For(0, batches, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) }, b =>
            {
                var range = Enumerable.Range(b * agent.Lanes, Math.Min(agent.Lanes, results.Length - b * agent.Lanes)).ToArray();
                var lived = agent.Lifetimes([.. range.Select(k => candidates[k / perCandidate])], [.. range.Select(k => list[k % perCandidate])],
                    [.. range.Select(k => seed + (ulong)(k % perCandidate))]);
                lived.CopyTo(results, range[0]);
            });
            return [.. candidates.Select((theta, c) => MazeLearner.Fitness(theta, results.AsSpan(c * perCandidate, perCandidate)))];
        }

        /// <inheritdoc />
        public string Description => $"{Math.Max(1, threads)} thread{(threads > 1 ? "s" : "")}, {agent.Lanes} lifetimes per vector pass";
    }

    /// <summary>Mean steps and reward per episode on <paramref name="count"/> held-out mazes (seeds never used in evolution).</summary>
    public static MazeEvaluation Evaluate(MazeLearner agent, double[] theta, int count, int size, ulong seed)
    {
        var steps = new double[MazeLearner.Episodes];
        var scores = new double[MazeLearner.Episodes];
        var mazes = Enumerable.Range(0, count).Select(m => Maze.Generate(size, Simulator.Random.CounterRng.Hash(seed, 99, (uint)m))).ToArray();
        var lived = agent.Lifetimes([.. mazes.Select(_ => theta)], mazes, [.. Enumerable.Range(0, count).Select(m => Simulator.Random.CounterRng.Hash(seed, 98, (uint)m))]);
        foreach (var (s, t) in lived)
            for (var e = 0; e < MazeLearner.Episodes; e++) { steps[e] += (double)t[e] / count; scores[e] += s[e] / count; }
        return new MazeEvaluation(steps, scores, count);
    }
}
