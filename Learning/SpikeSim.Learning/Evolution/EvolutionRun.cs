namespace SpikeSim.Learning.Evolution;

/// <summary>One generation's summary: the best and the mean fitness of its candidates, and its wall time.</summary>
public sealed record GenerationResult(int Generation, double Best, double Mean, double Seconds);

/// <summary>
/// The generation loop: ask, evaluate every candidate in parallel (each evaluation gets its own seed from
/// (seed, generation, candidate), so results do not depend on the thread count), tell, checkpoint.
/// </summary>
public static class EvolutionRun
{
    /// <summary>
    /// Runs until <paramref name="generations"/> generations are done and returns the record of every generation,
    /// <paramref name="earlier"/> ones (a resumed run's) first. <paramref name="fitness"/> maps a candidate and an
    /// evaluation seed to a fitness; it must be thread-safe. With <paramref name="checkpoint"/>, the state and the
    /// record are saved after every generation.
    /// </summary>
    public static List<GenerationResult> Run(IEvolutionStrategy strategy, Func<double[], ulong, double> fitness, int generations, int threads,
        ulong seed, Action<GenerationResult>? onGeneration = null, string? checkpoint = null, IReadOnlyList<GenerationResult>? earlier = null)
    {
        var history = new List<GenerationResult>(earlier ?? []);
        while (strategy.Generation < generations)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var candidates = strategy.Ask();
            var scores = new double[candidates.Length];
            var generation = strategy.Generation;
            Parallel.For(0, candidates.Length, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) },
                k => scores[k] = fitness(candidates[k], Simulator.Random.CounterRng.Hash(seed, 1_000_000u, (uint)generation)));
            strategy.Tell(candidates, scores);
            var result = new GenerationResult(generation + 1, scores.Max(), scores.Average(), clock.Elapsed.TotalSeconds);
            history.Add(result);
            if (checkpoint is not null) new EvolutionCheckpoint(strategy.State, [.. history]).Save(checkpoint);
            onGeneration?.Invoke(result);
        }
        return history;
    }
}
