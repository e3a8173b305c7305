using SpikeSim.Learning.Evolution;
using Xunit;

namespace SpikeSim.Tests.Learning;

/// <summary>The evolution engine and the maze task.</summary>
public sealed class EvolutionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("spikesim-es-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static double Sphere(double[] x, ulong seed) => -x.Sum(v => (v - 1) * (v - 1));

    [Theory]
    [InlineData(EvolutionStrategyKind.Cma)]
    [InlineData(EvolutionStrategyKind.OpenAI)]
    public void Both_strategies_climb_a_sphere(EvolutionStrategyKind kind)
    {
        IEvolutionStrategy es = kind == EvolutionStrategyKind.Cma ? new DiagonalCmaEs(new double[10], 3, 20, sigma: 0.5) : new OpenAiEs(new double[10], 3, 20, sigma: 0.1, learningRate: 0.2);
        var history = EvolutionRun.Run(es, Sphere, 150, 2, 5);
        Assert.True(Sphere(es.Mean, 0) > 0.2 * Sphere(new double[10], 0), $"{kind}: the mean moved from −10 only to {Sphere(es.Mean, 0):0.00}");
        Assert.True(history[^1].Best > history[0].Best);
    }

    [Fact]
    public void Step_size_adaptation_grows_sigma_on_a_slope_and_shrinks_it_at_an_optimum()
    {
        // On f = x₀ selection moves the mean the same way every generation, the evolution path outgrows a random
        // walk's and σ rises (to its bound); at a sphere's optimum successive steps cancel and σ falls.
        var slope = new DiagonalCmaEs(new double[10], 1, 20, sigma: 0.1);
        EvolutionRun.Run(slope, (x, _) => x[0], 40, 1, 1);
        Assert.InRange(slope.Sigma, 0.3, 10); // 10: the step size's upper bound, reached here within 40 generations
        var bowl = new DiagonalCmaEs(new double[10], 1, 20, sigma: 1);
        EvolutionRun.Run(bowl, (x, _) => -x.Sum(v => v * v), 150, 1, 1);
        Assert.True(bowl.Sigma < 0.1, $"σ at the optimum: 1 → {bowl.Sigma:0.000}");
    }

    [Fact]
    public void The_diagonal_covariance_learns_each_axis_scale_on_a_separable_ellipsoid()
    {
        // f = −Σ s_i·x_i² with s = 1 on the first five axes and 10⁴ on the last five: the best steps are 100 times
        // shorter along the steep axes, so their variances must fall far below the flat axes'.
        var es = new DiagonalCmaEs(Enumerable.Repeat(1.0, 10).ToArray(), 2, 20, sigma: 0.5);
        EvolutionRun.Run(es, (x, _) => -x.Select((v, i) => (i < 5 ? 1 : 1e4) * v * v).Sum(), 400, 1, 2);
        var variance = es.State.Variance;
        var (flat, steep) = (variance[..5].Average(), variance[5..].Average());
        Assert.True(steep < flat / 30, $"variance along steep axes {steep:g3}, along flat ones {flat:g3}");
    }

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

    [Fact]
    public void A_resumed_evolution_ends_where_an_uninterrupted_one_does_with_the_whole_record()
    {
        var straight = new DiagonalCmaEs(new double[8], 4, 10, sigma: 0.3);
        var uninterrupted = EvolutionRun.Run(straight, Sphere, 6, 2, 4);
        var path = Path.Combine(_dir, "es.json");
        var first = new DiagonalCmaEs(new double[8], 4, 10, sigma: 0.3);
        EvolutionRun.Run(first, Sphere, 3, 2, 4, checkpoint: path);
        var saved = EvolutionCheckpoint.Load(path);
        Assert.Equal([1, 2, 3], saved.History.Select(h => h.Generation));
        var resumed = new DiagonalCmaEs(saved.State, 10);
        var history = EvolutionRun.Run(resumed, Sphere, 6, 1, 4, checkpoint: path, earlier: saved.History);
        Assert.Equal(straight.Mean, resumed.Mean);
        Assert.Equal(uninterrupted.Select(h => (h.Generation, h.Best, h.Mean)), history.Select(h => (h.Generation, h.Best, h.Mean)));
        Assert.Equal(6, EvolutionCheckpoint.Load(path).History.Length);
    }

    [Fact]
    public void A_checkpoint_without_a_record_loads_with_an_empty_one_and_a_broken_file_is_refused()
    {
        var path = Path.Combine(_dir, "bare.json");
        var es = new DiagonalCmaEs(new double[4], 2, 6, sigma: 0.3);
        EvolutionRun.Run(es, Sphere, 2, 1, 2);
        File.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(es.State));
        var loaded = EvolutionCheckpoint.Load(path);
        Assert.Equal(es.Mean, loaded.State.Mean);
        Assert.Empty(loaded.History);
        File.WriteAllText(path, "{ not json");
        Assert.Throws<SpikeSim.Simulator.Errors.SpikeSimException>(() => EvolutionCheckpoint.Load(path));
        File.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(new EvolutionCheckpoint(es.State, [.. Enumerable.Range(1, 3).Select(g => new GenerationResult(g, 0, 0, 0))])));
        Assert.Throws<SpikeSim.Simulator.Errors.SpikeSimException>(() => EvolutionCheckpoint.Load(path));
    }

    [Theory]
    [InlineData(true, 3)]
    [InlineData(true, 14)]
    [InlineData(true, 16)]
    [InlineData(true, 21)]
    [InlineData(false, 14)]
    [InlineData(false, 21)]
    public void The_vectorised_rule_update_gives_the_scalar_formulas_bits(bool decomposed, int pre)
    {
        // Lengths below, at and above Vector<float>.Count, so both the vector lanes and the scalar tail run.
        const int post = 5;
        var theta = new double[PlasticityCoefficients.Count(decomposed, post, pre)];
        Gaussian.Scaled(theta, 9, 0.7);
        var rule = new PlasticityCoefficients(decomposed, new ParameterReader(theta), post, pre);
        float F(int k) => (float)theta[k];
        var x = Enumerable.Range(0, pre).Select(j => MathF.Sin(j + 0.3f)).ToArray();
        for (var i = 0; i < post; i++)
        {
            var y = MathF.Cos(i * 1.7f);
            var target = Enumerable.Range(0, pre).Select(j => 0.1f * j).ToArray();
            var expected = (float[])target.Clone();
            for (var j = 0; j < pre; j++)
            {
                // Parameter layout: decomposed a_post, a_pre, b_post, b_pre, c_post, c_pre, d_post, d_pre; full A, B, C, D [post, pre].
                var (a, b, c, d) = decomposed
                    ? (F(i) * F(post + j), F(post + pre + i) * F(2 * post + pre + j), F(2 * (post + pre) + i) * F(3 * post + 2 * pre + j), F(3 * (post + pre) + i) * F(4 * post + 3 * pre + j))
                    : (F(i * pre + j), F(post * pre + i * pre + j), F(2 * post * pre + i * pre + j), F(3 * post * pre + i * pre + j));
                expected[j] += 0.2f * (a * y * x[j] + b * y + c * x[j] + d);
            }
            rule.AddRow(i, y, x, target, 0.2f);
            Assert.Equal(expected, target);
        }
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
}
