using SpikeSim.Simulator.Random;
using SpikeSim.Learning.Evolution;
using SpikeSim.Learning.Plasticity;

namespace SpikeSim.Experiments.Maze;

/// <summary>
/// An agent's network during lifetimes lived in lockstep (one per lane): every lane's observation in, every lane's
/// readout out, learning as it goes. A lane's numbers never depend on the other lanes.
/// </summary>
public interface IMazeController
{
    /// <summary>
    /// Takes this step's observations (<see cref="MazeLearner.Inputs"/> numbers per lane) and writes each lane's readout
    /// (<see cref="IActionPolicy.Readouts"/> numbers, the logits of the 4 moves first), both index-major: number j of lane
    /// k at j·<see cref="MazeLearner.Lanes"/> + k, so that number j of every lane is one vector.
    /// </summary>
    void Step(ReadOnlySpan<float> observations, Span<float> readouts);
}

/// <summary>
/// A maze agent whose parameters evolution sets, living lifetimes in random mazes (Wang et al. 2022): the
/// observation is the 3×3 neighbourhood (wall 1, goal −1, free 0), the one-hot previous action and the previous
/// step's reward (so the agent can tell that it reached the goal and was put back at the start; Wang et al. list
/// only the first two); the agent's <see cref="Policy"/> chooses the move from its readout. Reward −0.01 a step, +1 at the goal; an
/// episode ends at the goal or after 200 steps; a lifetime is 8 episodes in one maze, restarting at the start,
/// with the network (and what it learned) carried across them. Agents that can (<see cref="Lanes"/> &gt; 1) live
/// several lifetimes in lockstep, one per lane of their network: a population's lifetimes as one vectorised pass.
/// </summary>
public abstract class MazeLearner(IActionPolicy policy)
{
    public const int Inputs = 14, Actions = 4, EpisodeSteps = 200, Episodes = 8;

    /// <summary>How the agent chooses a move from its readout; its readout has <see cref="IActionPolicy.Readouts"/> numbers.</summary>
    public IActionPolicy Policy { get; } = policy;

    /// <summary>Fitness weights of the 8 episodes (Wang et al.): later episodes count more.</summary>
    public static readonly double[] EpisodeWeights = [0, 0, 0.16, 0.22, 0.36, 0.64, 0.8, 1.0];

    /// <summary>Length of the parameter vector.</summary>
    public abstract int ParameterCount { get; }

    /// <summary>How many lifetimes one network can live in lockstep.</summary>
    public virtual int Lanes => 1;

    /// <summary>The agent's network at the start of a lifetime per lane, each lane's built from its θ (at most <see cref="Lanes"/>).</summary>
    protected abstract IMazeController Begin(IReadOnlyList<double[]> thetas);

    /// <summary>Runs a lifetime; returns each episode's reward and steps.</summary>
    public (double[] Scores, int[] Steps) Lifetime(ReadOnlySpan<double> theta, Maze maze, ulong seed) => Lifetimes([theta.ToArray()], [maze], [seed])[0];

    /// <summary>
    /// Runs lifetime k with θ <paramref name="thetas"/>[k] in <paramref name="mazes"/>[k], sampling its actions from
    /// <paramref name="seeds"/>[k], <see cref="Lanes"/> at a time in lockstep; each result is the one it has alone.
    /// </summary>
    public (double[] Scores, int[] Steps)[] Lifetimes(IReadOnlyList<double[]> thetas, IReadOnlyList<Maze> mazes, IReadOnlyList<ulong> seeds)
    {
        foreach (var theta in thetas)
            if (theta.Length != ParameterCount) throw new ArgumentException($"{GetType().Name} takes {ParameterCount} parameters, not {theta.Length}.");
        var results = new (double[], int[])[thetas.Count];
        for (var first = 0; first < thetas.Count; first += Lanes)
        {
            var count = Math.Min(Lanes, thetas.Count - first);
            LiveTogether([.. thetas.Skip(first).Take(count)], [.. mazes.Skip(first).Take(count)], [.. seeds.Skip(first).Take(count)], results.AsSpan(first, count));
        }
        return results;
    }

    /// <summary>One lane's lifetime in progress.</summary>
    private sealed class Life(Maze maze, ulong seed)
    {
        public readonly Maze Maze = maze;
        public readonly Xoshiro256 Rng = new(seed);
        public readonly double[] Scores = new double[Episodes];
        public readonly int[] Steps = new int[Episodes];
        public (int R, int C) Position = maze.Start;
        public int Episode, T, PreviousAction = -1;
        public double Score;
        public float PreviousReward;
        public bool Done => Episode == Episodes;
    }

    private void LiveTogether(double[][] thetas, Maze[] mazes, ulong[] seeds, Span<(double[], int[])> results)
    {
        var controller = Begin(thetas);
        var lives = mazes.Select((m, k) => new Life(m, seeds[k])).ToArray();
        // Index-major, Lanes wide whatever the number of lives; unused lanes stay 0 and have no generator (no move).
        var observations = new float[Lanes * Inputs];
        var readouts = new float[Lanes * Policy.Readouts];
        var rngs = new Xoshiro256?[Lanes];
        for (var k = 0; k < lives.Length; k++) rngs[k] = lives[k].Rng;
        var moves = new int[Lanes];
        for (var living = lives.Length; living > 0;)
        {
            for (var k = 0; k < lives.Length; k++)
                if (!lives[k].Done) Observe(lives[k], observations.AsSpan(k), Lanes);
            controller.Step(observations, readouts);
            Policy.Choose(readouts, rngs, moves);
            for (var k = 0; k < lives.Length; k++)
                if (!lives[k].Done && Act(lives[k], moves[k]))
                {
                    living--;
                    rngs[k] = null;
                }
        }
        for (var k = 0; k < lives.Length; k++) results[k] = (lives[k].Scores, lives[k].Steps);
    }

    /// <summary>
    /// One step of a lane's lifetime after its policy has chosen the move: move, reward, and the end of an episode at the goal or
    /// after 200 steps; true when that ended the lifetime.
    /// </summary>
    private static bool Act(Life life, int action)
    {
        life.PreviousAction = action;
        var (r, c) = life.Position;
        var (nr, nc) = (r + Maze.Moves[action].Dr, c + Maze.Moves[action].Dc);
        if (!life.Maze.IsWall(nr, nc)) life.Position = (nr, nc);
        life.Score -= 0.01;
        life.PreviousReward = -0.01f;
        life.T++;
        var atGoal = life.Position == life.Maze.Goal;
        if (atGoal)
        {
            life.Score += 1;
            life.PreviousReward += 1;
        }
        if (!atGoal && life.T < EpisodeSteps) return false;
        (life.Scores[life.Episode], life.Steps[life.Episode]) = (life.Score, life.T);
        life.Episode++;
        (life.Position, life.Score, life.T) = (life.Maze.Start, 0, 0);
        return life.Done;
    }

    /// <summary>Σ_k w_k·score_k / Σ w_k − 1e-6·‖θ‖², averaged over <paramref name="mazes"/>; lifetime m samples its actions from seed + m.</summary>
    public double Fitness(ReadOnlySpan<double> theta, IReadOnlyList<Maze> mazes, ulong seed)
    {
        var copy = theta.ToArray();
        return Fitness(theta, Lifetimes([.. mazes.Select(_ => copy)], mazes, [.. mazes.Select((_, m) => seed + (ulong)m)]));
    }

    /// <summary>The fitness of θ from the results of its lifetimes, in maze order (see the overload that lives them).</summary>
    public static double Fitness(ReadOnlySpan<double> theta, ReadOnlySpan<(double[] Scores, int[] Steps)> lifetimes)
    {
        double total = 0;
        foreach (var (scores, _) in lifetimes)
        {
            double weighted = 0;
            for (var e = 0; e < Episodes; e++) weighted += EpisodeWeights[e] * scores[e];
            total += weighted / EpisodeWeights.Sum();
        }
        double norm = 0;
        foreach (var v in theta) norm += v * v;
        return total / lifetimes.Length - 1e-6 * norm;
    }

    /// <summary>Writes a lane's observation, number j at <paramref name="x"/>[j·<paramref name="stride"/>].</summary>
    private static void Observe(Life life, Span<float> x, int stride)
    {
        var view = life.Maze.View(life.Position.R, life.Position.C);
        for (var j = 0; j < view.Length; j++) x[j * stride] = view[j];
        for (var a = 0; a < Actions; a++) x[(9 + a) * stride] = a == life.PreviousAction ? 1 : 0;
        x[13 * stride] = life.PreviousReward;
    }
}
