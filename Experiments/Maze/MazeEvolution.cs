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
        return (theta, seed) =>
        {
            var list = Enumerable.Range(0, mazes).Select(m => Maze.Generate(size, Simulator.Random.CounterRng.Hash(seed, 7, (uint)m)))
                .SelectMany(maze => Enumerable.Repeat(maze, repeats)).ToList();
            return agent.Fitness(theta, list, seed);
        };
    }

    /// <summary>Mean steps and reward per episode on <paramref name="count"/> held-out mazes (seeds never used in evolution).</summary>
    public static MazeEvaluation Evaluate(MazeLearner agent, double[] theta, int count, int size, ulong seed)
    {
        var steps = new double[MazeLearner.Episodes];
        var scores = new double[MazeLearner.Episodes];
        for (var m = 0; m < count; m++)
        {
            var maze = Maze.Generate(size, Simulator.Random.CounterRng.Hash(seed, 99, (uint)m));
            var (s, t) = agent.Lifetime(theta, maze, Simulator.Random.CounterRng.Hash(seed, 98, (uint)m));
            for (var e = 0; e < MazeLearner.Episodes; e++) { steps[e] += (double)t[e] / count; scores[e] += s[e] / count; }
        }
        return new MazeEvaluation(steps, scores, count);
    }
}
