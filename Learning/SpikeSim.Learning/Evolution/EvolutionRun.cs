namespace SpikeSim.Learning.Evolution;

/// <summary>One generation's summary: the best and the mean fitness of its candidates, and its wall time.</summary>
public sealed record GenerationResult(int Generation, double Best, double Mean, double Seconds);

/// <summary>
/// The generation loop: ask, evaluate every candidate (all with the generation's seed, from (seed, generation), so results
/// depend neither on the thread count nor on which worker of a cluster evaluates them), tell, checkpoint.
/// </summary>
public static class EvolutionRun
{
    /// <summary>
    /// Runs until <paramref name="generations"/> generations are done on this process's threads; see the overload taking an
    /// <see cref="ICandidateEvaluator"/>. <paramref name="fitness"/> maps a candidate and an evaluation seed to a fitness and
    /// must be thread-safe.
    /// </summary>
    public static List<GenerationResult> Run(IEvolutionStrategy strategy, Func<double[], ulong, double> fitness, int generations, int threads,
        ulong seed, Action<GenerationResult>? onGeneration = null, string? checkpoint = null, IReadOnlyList<GenerationResult>? earlier = null) =>
        Run(strategy, new ParallelEvaluator(fitness, threads), generations, seed, onGeneration, checkpoint, earlier);

    /// <summary>
    /// Runs until <paramref name="generations"/> generations are done and returns the record of every generation,
    /// <paramref name="earlier"/> ones (a resumed run's) first. With <paramref name="checkpoint"/>, the state and the
    /// record are saved after every generation.
    /// </summary>
    public static List<GenerationResult> Run(IEvolutionStrategy strategy, ICandidateEvaluator evaluator, int generations,
        ulong seed, Action<GenerationResult>? onGeneration = null, string? checkpoint = null, IReadOnlyList<GenerationResult>? earlier = null)
    {
        var history = new List<GenerationResult>(earlier ?? []);
        while (strategy.Generation < generations)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var candidates = strategy.Ask();
            var generation = strategy.Generation;
            var scores = evaluator.Evaluate(candidates, Simulator.Random.CounterRng.Hash(seed, 1_000_000u, (uint)generation));
            strategy.Tell(candidates, scores);
            var result = new GenerationResult(generation + 1, scores.Max(), scores.Average(), clock.Elapsed.TotalSeconds);
            history.Add(result);
            if (checkpoint is not null) new EvolutionCheckpoint(strategy.State, [.. history]).Save(checkpoint);
            onGeneration?.Invoke(result);
        }
        return history;
    }
}
