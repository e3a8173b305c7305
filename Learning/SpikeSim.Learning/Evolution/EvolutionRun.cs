using System.Text.Json;

namespace SpikeSim.Learning.Evolution;

/// <summary>One generation's summary.</summary>
public sealed record GenerationResult(int Generation, double Best, double Mean, double[] BestCandidate, double Seconds);

/// <summary>
/// The generation loop: ask, evaluate every candidate in parallel (each evaluation gets its own seed from
/// (seed, generation, candidate), so results do not depend on the thread count), tell, checkpoint.
/// </summary>
public static class EvolutionRun
{
    /// <summary>
    /// Runs until <paramref name="generations"/> generations are done. <paramref name="fitness"/> maps a candidate
    /// and an evaluation seed to a fitness; it must be thread-safe.
    /// </summary>
    public static List<GenerationResult> Run(IEvolutionStrategy strategy, Func<double[], ulong, double> fitness, int generations, int threads,
        ulong seed, Action<GenerationResult>? onGeneration = null, string? checkpoint = null)
    {
        var history = new List<GenerationResult>();
        while (strategy.Generation < generations)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var candidates = strategy.Ask();
            var scores = new double[candidates.Length];
            var generation = strategy.Generation;
            Parallel.For(0, candidates.Length, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) },
                k => scores[k] = fitness(candidates[k], Simulator.Random.CounterRng.Hash(seed, 1_000_000u, (uint)generation)));
            var best = Array.IndexOf(scores, scores.Max());
            strategy.Tell(candidates, scores);
            var result = new GenerationResult(generation + 1, scores[best], scores.Average(), candidates[best], clock.Elapsed.TotalSeconds);
            history.Add(result);
            if (checkpoint is not null) Save(checkpoint, strategy.State);
            onGeneration?.Invoke(result);
        }
        return history;
    }

    /// <summary>Writes a strategy's state atomically (temporary file, then rename).</summary>
    public static void Save(string path, EvolutionState state)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full + ".tmp", JsonSerializer.Serialize(state));
        File.Move(full + ".tmp", full, overwrite: true);
    }

    /// <summary>Reads a state written by <see cref="Save"/>; one clear error where it cannot.</summary>
    public static EvolutionState Load(string path)
    {
        try
        {
            var state = JsonSerializer.Deserialize<EvolutionState>(File.ReadAllText(path)) ?? throw new JsonException("empty");
            if (state.Mean is null || state.Mean.Any(v => !double.IsFinite(v))) throw new JsonException("the mean is missing or not finite");
            return state;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            throw new Simulator.Errors.SpikeSimException($"Cannot resume evolution from {path}: {e.Message}", e);
        }
    }
}
