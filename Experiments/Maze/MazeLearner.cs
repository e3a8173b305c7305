using SpikeSim.Simulator.Random;
using SpikeSim.Learning.Evolution;
using SpikeSim.Learning.Plasticity;

namespace SpikeSim.Experiments.Maze;

/// <summary>An agent's network during one lifetime: observation in, action logits out, learning as it goes.</summary>
public interface IMazeController
{
    /// <summary>Takes the observation of this step and writes the readout its policy chooses from (the logits of the 4 moves first).</summary>
    void Step(ReadOnlySpan<float> observation, Span<float> readout);
}

/// <summary>
/// A maze agent whose parameters evolution sets, living lifetimes in random mazes (Wang et al. 2022): the
/// observation is the 3×3 neighbourhood (wall 1, goal −1, free 0), the one-hot previous action and the previous
/// step's reward (so the agent can tell that it reached the goal and was put back at the start; Wang et al. list
/// only the first two); the agent's <see cref="Policy"/> chooses the move from its readout. Reward −0.01 a step, +1 at the goal; an
/// episode ends at the goal or after 200 steps; a lifetime is 8 episodes in one maze, restarting at the start,
/// with the network (and what it learned) carried across them.
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

    /// <summary>The agent's network at the start of a lifetime, built from <paramref name="theta"/>.</summary>
    protected abstract IMazeController Begin(ReadOnlySpan<double> theta);

    /// <summary>Runs a lifetime; returns each episode's reward and steps.</summary>
    public (double[] Scores, int[] Steps) Lifetime(ReadOnlySpan<double> theta, Maze maze, ulong seed)
    {
        if (theta.Length != ParameterCount) throw new ArgumentException($"{GetType().Name} takes {ParameterCount} parameters, not {theta.Length}.");
        var controller = Begin(theta);
        var rng = new Xoshiro256(seed);
        var x = new float[Inputs];
        var readout = new float[Policy.Readouts];
        var scores = new double[Episodes];
        var steps = new int[Episodes];
        var previousAction = -1;
        var previousReward = 0f;
        for (var e = 0; e < Episodes; e++)
        {
            var (r, c) = maze.Start;
            var score = 0.0;
            var t = 0;
            for (; t < EpisodeSteps; t++)
            {
                Observe(maze, r, c, previousAction, previousReward, x);
                controller.Step(x, readout);
                var action = Policy.Choose(readout, rng);
                previousAction = action;
                var (nr, nc) = (r + Maze.Moves[action].Dr, c + Maze.Moves[action].Dc);
                if (!maze.IsWall(nr, nc)) (r, c) = (nr, nc);
                score -= 0.01;
                previousReward = -0.01f;
                if ((r, c) == maze.Goal)
                {
                    score += 1;
                    previousReward += 1;
                    t++;
                    break;
                }
            }
            (scores[e], steps[e]) = (score, t);
        }
        return (scores, steps);
    }

    /// <summary>Σ_k w_k·score_k / Σ w_k − 1e-6·‖θ‖², averaged over <paramref name="mazes"/>.</summary>
    public double Fitness(ReadOnlySpan<double> theta, IReadOnlyList<Maze> mazes, ulong seed)
    {
        double total = 0;
        for (var m = 0; m < mazes.Count; m++)
        {
            var (scores, _) = Lifetime(theta, mazes[m], seed + (ulong)m);
            double weighted = 0;
            for (var e = 0; e < Episodes; e++) weighted += EpisodeWeights[e] * scores[e];
            total += weighted / EpisodeWeights.Sum();
        }
        double norm = 0;
        foreach (var v in theta) norm += v * v;
        return total / mazes.Count - 1e-6 * norm;
    }

    private static void Observe(Maze maze, int r, int c, int previousAction, float previousReward, float[] x)
    {
        var k = 0;
        for (var dr = -1; dr <= 1; dr++)
            for (var dc = -1; dc <= 1; dc++)
                x[k++] = maze.IsWall(r + dr, c + dc) ? 1 : (r + dr, c + dc) == maze.Goal ? -1 : 0;
        for (var a = 0; a < Actions; a++) x[9 + a] = a == previousAction ? 1 : 0;
        x[13] = previousReward;
    }
}
