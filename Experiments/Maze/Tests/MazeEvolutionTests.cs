using System.Runtime.Intrinsics;
using SpikeSim.Learning.Evolution;
using Xunit;

namespace SpikeSim.Experiments.Maze.Tests;

/// <summary>The maze task under evolution: mazes, agents, policies, and the fitness the evolution sees.</summary>
public sealed class MazeEvolutionTests
{
    [Fact]
    public void Same_seed_same_result_with_one_or_two_threads_on_the_maze_task()
    {
        var agent = new MazeAgent(MazeAgentKind.Decomposed, 6);
        double[] Evolve(int threads)
        {
            var es = new DiagonalCmaEs(new double[agent.ParameterCount], 11, 8, sigma: 0.1);
            EvolutionRun.Run(es, MazeEvolution.Fitness(agent, 2, 9), 3, threads, 11);
            return es.Mean;
        }
        Assert.Equal(Evolve(1), Evolve(2));
    }

    [Fact]
    public void Repeats_live_each_maze_again_with_their_own_action_samples_and_one_repeat_is_the_plain_list()
    {
        var agent = new MazeAgent(MazeAgentKind.Decomposed, 4);
        var theta = new double[agent.ParameterCount];
        Gaussian.Scaled(theta, 2, 0.3);
        const ulong seed = 9;
        var mazes = Enumerable.Range(0, 2).Select(m => Maze.Generate(9, SpikeSim.Simulator.Random.CounterRng.Hash(seed, 7, (uint)m))).ToList();
        Assert.Equal(agent.Fitness(theta, mazes, seed), MazeEvolution.Fitness(agent, 2, 9)(theta, seed));

        double Weighted(Maze maze, ulong lifetimeSeed)
        {
            var (scores, _) = agent.Lifetime(theta, maze, lifetimeSeed);
            return scores.Select((v, e) => v * MazeLearner.EpisodeWeights[e]).Sum() / MazeLearner.EpisodeWeights.Sum();
        }
        const int repeats = 3;
        var lifetimes = Enumerable.Range(0, 2 * repeats).Select(k => Weighted(mazes[k / repeats], seed + (ulong)k)).ToArray();
        Assert.True(lifetimes.Take(repeats).Distinct().Count() > 1, "the repeats of a maze sampled the same actions");
        var expected = lifetimes.Average() - 1e-6 * theta.Sum(v => v * v);
        Assert.Equal(expected, MazeEvolution.Fitness(agent, 2, 9, repeats)(theta, seed), 12);
    }

    [Theory]
    [InlineData(9)]
    [InlineData(15)]
    [InlineData(21)]
    public void Mazes_are_walled_solvable_and_about_a_third_walls(int size)
    {
        double walls = 0, inner = 0;
        for (var k = 0UL; k < 20; k++)
        {
            var maze = Maze.Generate(size, k);
            Assert.NotNull(maze.ShortestPath());
            for (var i = 0; i < size; i++) Assert.True(maze.IsWall(0, i) && maze.IsWall(i, 0) && maze.IsWall(size - 1, i) && maze.IsWall(i, size - 1));
            for (var r = 1; r < size - 1; r++) for (var c = 1; c < size - 1; c++) { inner++; if (maze.IsWall(r, c)) walls++; }
        }
        Assert.InRange(walls / inner, 0.25, 0.42);
    }

    [Fact]
    public void Parameter_counts_follow_the_decomposition()
    {
        const int n = 16, i = MazeAgent.Inputs;
        var common = n + 4 * n + 4;
        Assert.Equal(common + 4 * (n + n) + 4 * (n + i) + 2 * (n + 1), new MazeAgent(MazeAgentKind.Decomposed, n).ParameterCount);
        Assert.Equal(common + 4 * n * n + 4 * n * i + 2 * (n + 1), new MazeAgent(MazeAgentKind.Full, n).ParameterCount);
        Assert.Equal(common + n * n + n * i, new MazeAgent(MazeAgentKind.NonPlastic, n).ParameterCount);
        // The gated policy adds one readout row: n weights and a bias.
        foreach (var kind in Enum.GetValues<MazeAgentKind>())
            Assert.Equal(new MazeAgent(kind, n).ParameterCount + n + 1, new MazeAgent(kind, n, ActionPolicyKind.GatedArgmax).ParameterCount);
        // Every kind and policy reads exactly its parameters: a lifetime runs on a vector of that length.
        foreach (var agent in Enum.GetValues<MazeAgentKind>().SelectMany(kind => Enum.GetValues<ActionPolicyKind>().Select(policy => new MazeAgent(kind, n, policy))))
        {
            var (scores, steps) = agent.Lifetime(new double[agent.ParameterCount], Maze.Generate(9, 1), 1);
            Assert.Equal(MazeAgent.Episodes, scores.Length);
            Assert.All(steps, s => Assert.InRange(s, 1, MazeAgent.EpisodeSteps));
            Assert.Throws<ArgumentException>(() => agent.Lifetime(new double[agent.ParameterCount + 1], Maze.Generate(9, 1), 1));
        }
    }

    [Fact]
    public void The_spiking_agent_evolves_as_many_numbers_as_the_decomposed_one_and_its_rule_changes_behaviour_within_a_lifetime()
    {
        const int n = 8;
        var agent = new SpikingMazeAgent(n);
        Assert.Equal(new MazeAgent(MazeAgentKind.Decomposed, n).ParameterCount, agent.ParameterCount);
        // Biases that make the neurons fire, a readout that turns their traces into a preference, and a rule
        // whose constant term D grows W_x from zero: the same seed then walks differently than without D.
        var theta = new double[agent.ParameterCount];
        var rng = new Random(2);
        for (var k = 0; k < n; k++) theta[k] = 1.5;
        for (var k = n; k < n + 4 * n; k++) theta[k] = rng.NextDouble() * 2 - 1;
        var withoutRule = agent.Lifetime(theta, Maze.Generate(9, 3), 5);
        var dOffset = n + 4 * n + 4 + 6 * n; // W_h's rule: a, a', b, b', c, c' (n each), then d, d'
        for (var k = 0; k < 2 * n; k++) theta[dOffset + k] = 0.5;
        var withRule = agent.Lifetime(theta, Maze.Generate(9, 3), 5);
        Assert.Equal(agent.Lifetime(theta, Maze.Generate(9, 3), 5).Steps, withRule.Steps);
        Assert.NotEqual(withoutRule.Steps, withRule.Steps);
    }

    [Fact]
    public void The_gated_policy_is_greedy_with_probability_half_tanh_g_plus_half_and_else_samples_the_softmax()
    {
        float[] logits = [0.5f, 1.5f, -1f, 0f];
        var z = logits.Sum(l => Math.Exp(l));
        var softmax = logits.Select(l => Math.Exp(l) / z).ToArray();
        const int draws = 40_000;
        double[] Frequencies(IActionPolicy policy, float gate)
        {
            var rng = new SpikeSim.Simulator.Random.Xoshiro256(7);
            float[] readout = [.. logits, gate];
            var counts = new double[MazeLearner.Actions];
            for (var k = 0; k < draws; k++) counts[policy.Choose(readout, rng)]++;
            return counts.Select(c => c / draws).ToArray();
        }
        var gated = new GatedArgmaxPolicy();
        Assert.Equal(MazeLearner.Actions + 1, gated.Readouts);
        // A large gate: always the greedy move (action 1). A very negative one: softmax frequencies (4 standard errors).
        Assert.Equal(new double[] { 0, 1, 0, 0 }, Frequencies(gated, 20f));
        foreach (var (seen, p) in Frequencies(gated, -20f).Zip(softmax)) Assert.InRange(seen, p - 4 * Math.Sqrt(p * (1 - p) / draws), p + 4 * Math.Sqrt(p * (1 - p) / draws));
        foreach (var (seen, p) in Frequencies(new SoftmaxPolicy(), 0f).Zip(softmax)) Assert.InRange(seen, p - 4 * Math.Sqrt(p * (1 - p) / draws), p + 4 * Math.Sqrt(p * (1 - p) / draws));
        // Gate 0.4: greedy with q = ½·tanh(0.4) + ½, so action 1 comes with q + (1 − q)·p₁ and the others with (1 − q)·p.
        var q = GatedArgmaxPolicy.GreedyProbability(0.4f);
        Assert.Equal(0.5 * Math.Tanh(0.4) + 0.5, q, 6);
        var expected = softmax.Select((p, a) => (a == 1 ? q : 0) + (1 - q) * p).ToArray();
        foreach (var (seen, p) in Frequencies(gated, 0.4f).Zip(expected)) Assert.InRange(seen, p - 4 * Math.Sqrt(p * (1 - p) / draws), p + 4 * Math.Sqrt(p * (1 - p) / draws));
    }

    [Fact]
    public void The_softmax_sample_is_the_first_move_whose_running_remainder_is_not_above_zero_in_every_lane()
    {
        // The vectorised sample counts remainders instead of branching; here it meets the plain inverse-CDF loop on
        // random logits, on ties and zero probabilities (−∞ logits), and on NaN, lane by lane, with a lane left out.
        var source = new SpikeSim.Simulator.Random.Xoshiro256(11);
        for (var trial = 0; trial < 500; trial++)
        {
            const int lanes = 8, actions = MazeLearner.Actions;
            var readouts = new float[actions * lanes];
            for (var i = 0; i < readouts.Length; i++)
                readouts[i] = (trial % 5) switch
                {
                    0 => (float)(source.NextDouble() * 40 - 20),
                    1 => (float)Math.Round(source.NextDouble() * 3),
                    2 => source.NextDouble() < 0.5 ? float.NegativeInfinity : 0f,
                    3 => i % lanes == 3 ? float.NaN : (float)source.NextDouble(),
                    _ => (float)(source.NextDouble() * 4 - 2),
                };
            var rngs = new SpikeSim.Simulator.Random.Xoshiro256?[lanes];
            var references = new SpikeSim.Simulator.Random.Xoshiro256[lanes];
            for (var k = 0; k < lanes; k++)
                if (k != 5)
                    (rngs[k], references[k]) = (new((ulong)(trial * lanes + k)), new((ulong)(trial * lanes + k)));
            var moves = Enumerable.Repeat(-1, lanes).ToArray();
            new SoftmaxPolicy().Choose(readouts, rngs, moves);
            for (var k = 0; k < lanes; k++)
            {
                if (k == 5)
                {
                    Assert.Equal(-1, moves[k]);
                    continue;
                }
                var logits = Enumerable.Range(0, actions).Select(a => readouts[a * lanes + k]).ToArray();
                var max = logits.Aggregate(Vector256.Create(float.NegativeInfinity), (m, l) => Vector256.Max(m, Vector256.Create(l)));
                var p = logits.Select(l => SpikeSim.Simulator.LinearAlgebra.LaneMath.Exp(Vector256.Create(l) - max).GetElement(0)).ToArray();
                double sum = 0;
                foreach (var x in p) sum += x;
                var u = references[k].NextDouble() * sum;
                var expected = actions - 1;
                for (var a = 0; a < actions; a++)
                {
                    u -= p[a];
                    if (u <= 0)
                    {
                        expected = a;
                        break;
                    }
                }
                Assert.Equal(expected, moves[k]);
            }
        }
    }

    [Fact]
    public void A_fully_greedy_gate_makes_a_lifetime_independent_of_the_action_samples()
    {
        const int n = 4;
        var agent = new MazeAgent(MazeAgentKind.NonPlastic, n, ActionPolicyKind.GatedArgmax);
        var theta = new double[agent.ParameterCount];
        var rng = new Random(3);
        for (var k = 0; k < theta.Length; k++) theta[k] = rng.NextDouble() - 0.5;
        var gateBias = n + 5 * n + 4; // b (n), W_o (5 × n), then b_o: the gate's bias is b_o[4]
        var maze = Maze.Generate(9, 2);
        theta[gateBias] = 30; // ½·tanh(g) + ½ = 1 whatever W_o·h adds: the greedy move at every step
        Assert.Equal(agent.Lifetime(theta, maze, 1).Steps, agent.Lifetime(theta, maze, 2).Steps);
        theta[gateBias] = -30; // never greedy: softmax samples, which differ between seeds
        Assert.NotEqual(agent.Lifetime(theta, maze, 1).Steps, agent.Lifetime(theta, maze, 2).Steps);
    }

    [Theory]
    [InlineData(MazeAgentKind.Decomposed, ActionPolicyKind.Softmax)]
    [InlineData(MazeAgentKind.Full, ActionPolicyKind.GatedArgmax)]
    [InlineData(MazeAgentKind.NonPlastic, ActionPolicyKind.Softmax)]
    public void Lifetimes_lived_in_lockstep_are_the_lifetimes_lived_alone(MazeAgentKind kind, ActionPolicyKind policy)
    {
        var agent = new MazeAgent(kind, 5, policy);
        Assert.Equal(8, agent.Lanes);
        // 11 lifetimes: a full pass of 8 and one of 3, each with its own θ, maze and seed.
        var thetas = Enumerable.Range(0, 11).Select(k =>
        {
            var theta = new double[agent.ParameterCount];
            Gaussian.Scaled(theta, (ulong)k + 40, 0.6);
            return theta;
        }).ToArray();
        var mazes = Enumerable.Range(0, 11).Select(k => Maze.Generate(9, (ulong)k + 3)).ToArray();
        var seeds = Enumerable.Range(0, 11).Select(k => (ulong)k * 7 + 1).ToArray();
        var together = agent.Lifetimes(thetas, mazes, seeds);
        for (var k = 0; k < 11; k++)
        {
            var alone = agent.Lifetime(thetas[k], mazes[k], seeds[k]);
            Assert.Equal(alone.Scores, together[k].Scores);
            Assert.Equal(alone.Steps, together[k].Steps);
        }
        Assert.True(together.Select(t => string.Join(",", t.Steps)).Distinct().Count() > 5, "the lanes lived different lifetimes");
    }

    [Fact]
    public void A_population_evaluated_in_vector_passes_has_each_candidates_own_fitness()
    {
        var agent = new MazeAgent(MazeAgentKind.Decomposed, 6);
        var candidates = Enumerable.Range(0, 5).Select(k =>
        {
            var theta = new double[agent.ParameterCount];
            Gaussian.Scaled(theta, (ulong)k, 0.3);
            return theta;
        }).ToArray();
        var one = MazeEvolution.Fitness(agent, 3, 9, repeats: 2);
        foreach (var threads in new[] { 1, 2 })
            Assert.Equal(candidates.Select(c => one(c, 77)), new MazeEvolution.PopulationEvaluator(agent, 3, 9, 2, threads).Evaluate(candidates, 77));
    }
}
