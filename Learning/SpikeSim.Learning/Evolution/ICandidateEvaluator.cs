namespace SpikeSim.Learning.Evolution;

/// <summary>
/// Evaluates one generation's candidates. Every candidate of a generation shares the generation's evaluation seed, and a
/// candidate's fitness is a function of (candidate, seed) alone, so where an evaluator runs them — threads of this
/// process or workers of a cluster — never changes a result.
/// </summary>
public interface ICandidateEvaluator
{
    /// <summary>The fitness of each candidate, in order.</summary>
    double[] Evaluate(double[][] candidates, ulong seed);

    /// <summary>Where the candidates are evaluated, for progress lines ("2 threads", "3 workers").</summary>
    string Description { get; }
}

/// <summary>Candidates evaluated on this process's threads: a thread-safe fitness function run by <see cref="Parallel.For(int, int, Action{int})"/>.</summary>
public sealed class ParallelEvaluator(Func<double[], ulong, double> fitness, int threads) : ICandidateEvaluator
{
    /// <inheritdoc />
    public double[] Evaluate(double[][] candidates, ulong seed)
    {
        var scores = new double[candidates.Length];
        Parallel.For(0, candidates.Length, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) }, k => scores[k] = fitness(candidates[k], seed));
        return scores;
    }

    /// <inheritdoc />
    public string Description => $"{Math.Max(1, threads)} thread{(threads > 1 ? "s" : "")}";
}
