using SpikeSim.Learning.Evolution;
using SpikeSim.Learning.Training;
using Xunit;

namespace SpikeSim.Tests.Evolution;

/// <summary>The evolution strategies, their runs and checkpoints, on closed-form fitness functions.</summary>
public sealed class EvolutionStrategyTests : IDisposable
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
        Assert.Throws<SpikeSim.Learning.Training.CheckpointException>(() => EvolutionCheckpoint.Load(path));
        File.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(new EvolutionCheckpoint(es.State, [.. Enumerable.Range(1, 3).Select(g => new GenerationResult(g, 0, 0, 0))])));
        Assert.Throws<SpikeSim.Learning.Training.CheckpointException>(() => EvolutionCheckpoint.Load(path));
    }

    [Fact]
    public void A_checkpoint_is_checksummed_and_every_impossible_value_is_refused_on_loading()
    {
        var es = new DiagonalCmaEs(new double[4], 2, 6, sigma: 0.3);
        EvolutionRun.Run(es, Sphere, 2, 1, 2);
        var good = new EvolutionCheckpoint(es.State, [new GenerationResult(1, -1, -2, 0), new GenerationResult(2, -1, -2, 0)]);
        var path = Path.Combine(_dir, "es.ckpt");
        good.Save(path);
        Assert.True(EvolutionCheckpoint.IsCheckpoint(path));
        Assert.Equal(good.State.Mean, EvolutionCheckpoint.Load(path).State.Mean);

        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 4;
        File.WriteAllBytes(path, bytes);
        Assert.Contains("damaged", Assert.Throws<CheckpointException>(() => EvolutionCheckpoint.Load(path)).Message);

        string Refusal(EvolutionCheckpoint bad)
        {
            bad.Save(path);
            return Assert.Throws<CheckpointException>(() => EvolutionCheckpoint.Load(path)).Message;
        }
        Assert.Contains("step size", Refusal(good with { State = good.State with { Sigma = 0 } }));
        Assert.Contains("step size", Refusal(good with { State = good.State with { Sigma = double.PositiveInfinity } }));
        Assert.Contains("mean", Refusal(good with { State = good.State with { Mean = [0, double.NaN, 0, 0] } }));
        Assert.Contains("variances", Refusal(good with { State = good.State with { Variance = [1, -1, 1, 1] } }));
        Assert.Contains("variances", Refusal(good with { State = good.State with { Variance = [1, 1] } }));
        Assert.Contains("negative", Refusal(good with { State = good.State with { Generation = -1 } }));
        Assert.Contains("history", Refusal(good with { State = good.State with { Generation = 1 } }));
        // A strategy name from a newer SpikeSim, in a file whose checksum is right.
        var newer = System.Text.Json.JsonSerializer.Serialize(good).Replace("\"cma\"", "\"lm-ma-es\"");
        SpikeSim.Simulator.Files.ChecksummedFile.Write(path, "SPKEVOL1"u8, w => w.Write(System.Text.Encoding.UTF8.GetBytes(newer)));
        Assert.Throws<CheckpointException>(() => EvolutionCheckpoint.Load(path));
    }
}
