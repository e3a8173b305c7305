using SpikeSim.Experiments.Maze;
using SpikeSim.Simulator.Random;
using Xunit;

namespace SpikeSim.Experiments.Maze.Tests;

/// <summary>
/// The lifetime's rules against closed forms: an agent scripted along the shortest path takes L steps and scores
/// 1 − 0.01·L in every episode; one that never enters the goal takes 200 steps and scores −2; the observation carries
/// the previous move and the previous reward across the restart.
/// </summary>
public sealed class MazeLifetimeTests
{
    [Theory]
    [InlineData(9, 3UL)]
    [InlineData(15, 4UL)]
    [InlineData(21, 5UL)]
    public void An_agent_on_the_shortest_path_takes_its_length_and_scores_one_less_a_hundredth_a_step(int size, ulong seed)
    {
        var maze = Maze.Generate(size, seed);
        var path = ShortestMoves(maze);
        Assert.Equal(maze.ShortestPath(), path.Length);
        var learner = new ScriptedLearner(path);
        var (scores, steps) = learner.Lifetime([], maze, 1);
        Assert.All(steps, s => Assert.Equal(path.Length, s));
        Assert.All(scores, s => Assert.Equal(1 - 0.01 * path.Length, s, 1e-9));
        // Every episode alike, so the weighted mean is one episode's score; no parameters, so no penalty.
        Assert.Equal(1 - 0.01 * path.Length, learner.Fitness([], [maze], 1), 1e-9);
    }

    [Fact]
    public void An_agent_that_stops_next_to_the_goal_times_out_every_episode_at_minus_two()
    {
        var maze = Maze.Generate(15, 6);
        var path = ShortestMoves(maze);
        Assert.True(path.Length >= 2, "the test needs a path of two moves or more");
        // Walk to the cell before the goal, then step back and forth there until the episode's 200 steps are spent.
        var approach = path[..^1];
        var back = (path[^2] + 2) % 4;
        var script = approach.Concat(Enumerable.Range(0, MazeLearner.EpisodeSteps - approach.Length).Select(k => k % 2 == 0 ? back : path[^2])).ToArray();
        var (scores, steps) = new ScriptedLearner(script).Lifetime([], maze, 1);
        Assert.All(steps, s => Assert.Equal(MazeLearner.EpisodeSteps, s));
        Assert.All(scores, s => Assert.Equal(-0.01 * MazeLearner.EpisodeSteps, s, 1e-9));
    }

    [Fact]
    public void The_observation_is_the_neighbourhood_the_previous_move_and_the_previous_reward()
    {
        var maze = Maze.Generate(9, 7);
        var path = ShortestMoves(maze);
        var learner = new ScriptedLearner(path);
        learner.Lifetime([], maze, 1);
        var seen = learner.Observations;
        Assert.Equal(MazeLearner.Episodes * path.Length, seen.Count);
        // The very first step: nothing before it.
        Assert.All(seen[0][9..], v => Assert.Equal(0f, v));
        // The first step of episode 2: back at the start, having just reached the goal by the path's last move.
        var restart = seen[path.Length];
        Assert.Equal(seen[0][..9], restart[..9]);
        for (var a = 0; a < MazeLearner.Actions; a++) Assert.Equal(a == path[^1] ? 1f : 0f, restart[9 + a]);
        Assert.Equal(-0.01f + 1f, restart[13]);
        // Within an episode the reward input is the step cost; one step before the goal the goal shows as −1 in the view.
        Assert.Equal(-0.01f, seen[1][13]);
        var beforeGoal = seen[path.Length - 1];
        var (dr, dc) = Maze.Moves[path[^1]];
        Assert.Equal(-1f, beforeGoal[(dr + 1) * 3 + dc + 1]);
    }

    /// <summary>The moves of one shortest path from start to goal (breadth-first search with parents).</summary>
    private static int[] ShortestMoves(Maze maze)
    {
        var parent = new Dictionary<(int, int), ((int, int) From, int Move)>();
        var queue = new Queue<(int R, int C)>([maze.Start]);
        parent[maze.Start] = (maze.Start, -1);
        while (queue.Count > 0)
        {
            var (r, c) = queue.Dequeue();
            if ((r, c) == maze.Goal) break;
            for (var a = 0; a < MazeLearner.Actions; a++)
            {
                var next = (r + Maze.Moves[a].Dr, c + Maze.Moves[a].Dc);
                if (maze.IsWall(next.Item1, next.Item2) || parent.ContainsKey(next)) continue;
                parent[next] = ((r, c), a);
                queue.Enqueue(next);
            }
        }
        var moves = new List<int>();
        for (var cell = maze.Goal; cell != maze.Start; cell = parent[cell].From) moves.Add(parent[cell].Move);
        moves.Reverse();
        return [.. moves];
    }

    /// <summary>
    /// A learner with no parameters whose k-th move is script[k mod length]: a script as long as the episodes it
    /// makes (the shortest path, or 200 moves that never reach the goal) plays from its start in every episode.
    /// </summary>
    private sealed class ScriptedLearner(int[] script) : MazeLearner(new ScriptPolicy(script))
    {
        public List<float[]> Observations { get; } = [];

        public override int ParameterCount => 0;

        protected override IMazeController Begin(IReadOnlyList<double[]> thetas) => new Recorder(Observations);

        private sealed class Recorder(List<float[]> observations) : IMazeController
        {
            public void Step(ReadOnlySpan<float> observation, Span<float> readout) => observations.Add(observation.ToArray());
        }

        private sealed class ScriptPolicy(int[] moves) : IActionPolicy
        {
            private int _k;

            public ActionPolicyKind Kind => ActionPolicyKind.Softmax;
            public int Readouts => Actions;
            public int Choose(ReadOnlySpan<float> readout, Xoshiro256 rng) => moves[_k++ % moves.Length];
        }
    }
}
