using System.Text.Json.Serialization;
using SpikeSim.Learning.Training;

namespace SpikeSim.Learning.Evolution;

/// <summary>
/// An evolution strategy in ask/tell form over real vectors, maximising fitness. Its whole state is a plain
/// record (<see cref="State"/>), so a run checkpoints and resumes exactly. Candidates of generation g are drawn
/// from a generator seeded by (seed, g, k), so they do not depend on how many threads evaluate them.
/// </summary>
public interface IEvolutionStrategy
{
    /// <summary>Which strategy this is.</summary>
    EvolutionStrategyKind Kind { get; }

    /// <summary>Generations told so far.</summary>
    int Generation { get; }

    /// <summary>The current centre of the search distribution (the best estimate).</summary>
    double[] Mean { get; }

    /// <summary>The candidates of the current generation.</summary>
    double[][] Ask();

    /// <summary>Updates the distribution from the fitness of the candidates <see cref="Ask"/> returned.</summary>
    void Tell(double[][] candidates, double[] fitness);

    /// <summary>The state, for checkpoints.</summary>
    EvolutionState State { get; }
}

/// <summary>Everything an evolution strategy needs to continue.</summary>
public sealed record EvolutionState(
    [property: JsonConverter(typeof(OptionNameConverter<EvolutionStrategyKind>))] EvolutionStrategyKind Strategy, int Generation, ulong Seed, double[] Mean, double Sigma, double[] Variance, double[] PathSigma);

/// <summary>Standard normal numbers from a counter-based stream: the same for a (seed, generation, candidate) on every machine.</summary>
public static class Gaussian
{
    /// <summary>A starting point: N(0, scale²) values from <paramref name="seed"/>.</summary>
    public static void Scaled(Span<double> values, ulong seed, double scale)
    {
        Fill(values, seed, -1, 0);
        for (var i = 0; i < values.Length; i++) values[i] *= scale;
    }

    public static void Fill(Span<double> z, ulong seed, int generation, int candidate)
    {
        var rng = new Simulator.Random.Xoshiro256(Simulator.Random.CounterRng.Hash(seed, (uint)generation, (uint)candidate));
        for (var i = 0; i < z.Length; i++)
        {
            var u1 = 1.0 - rng.NextDouble();
            z[i] = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * rng.NextDouble());
        }
    }
}
