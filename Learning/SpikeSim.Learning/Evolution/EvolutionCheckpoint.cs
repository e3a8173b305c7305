using System.Text.Json;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Files;

namespace SpikeSim.Learning.Evolution;

/// <summary>
/// What an evolution's checkpoint holds: the strategy's state, from which the run continues exactly, and the fitness
/// record of every generation so far, so that a resumed run reports and plots its whole history. A
/// <see cref="ChecksummedFile"/> with the magic <c>SPKEVOL1</c> and a UTF-8 JSON body; every value is validated on
/// reading, so a damaged or hand-edited file is refused with its reason instead of crashing the resumed run.
/// </summary>
public sealed record EvolutionCheckpoint(EvolutionState State, GenerationResult[] History)
{
    private static readonly byte[] Magic = "SPKEVOL1"u8.ToArray();

    // NaN and infinities are written by name, so that a run whose fitness diverged still saves, and refused on reading.
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>Whether <paramref name="path"/> is an evolution checkpoint (by its magic).</summary>
    public static bool IsCheckpoint(string path) => ChecksummedFile.StartsWith(path, Magic);

    /// <summary>Writes the checkpoint atomically (temporary file, then rename).</summary>
    public void Save(string path) => ChecksummedFile.Write(path, Magic, writer => writer.Write(JsonSerializer.SerializeToUtf8Bytes(this, Json)));

    /// <summary>
    /// Reads a checkpoint written by <see cref="Save"/> (or, from before checkpoints carried a checksum, a plain JSON
    /// one or a bare <see cref="EvolutionState"/>, whose history is empty); one clear error where it cannot.
    /// </summary>
    /// <exception cref="CheckpointException">The file is missing, damaged, or holds an impossible state.</exception>
    public static EvolutionCheckpoint Load(string path)
    {
        try
        {
            var json = ChecksummedFile.StartsWith(path, Magic) ? ChecksummedFile.Read(path, Magic, "evolution checkpoint") : InputFile.ReadAllBytes(path, "evolution checkpoint");
            using var document = JsonDocument.Parse(json);
            var checkpoint = document.RootElement.TryGetProperty(nameof(State), out _)
                ? document.Deserialize<EvolutionCheckpoint>(Json)
                : document.Deserialize<EvolutionState>(Json) is { } bare ? new EvolutionCheckpoint(bare, []) : null;
            if (checkpoint?.State is null) throw new JsonException("it holds no evolution state");
            Validate(checkpoint);
            return checkpoint;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException or DamagedFileException or NotSupportedException)
        {
            throw new CheckpointException($"Cannot resume evolution from {path}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Reads the checkpoint of a run of <paramref name="strategy"/> over <paramref name="parameters"/> numbers, refusing one of
    /// another strategy or length; <paramref name="what"/> names the evolved thing in the message.
    /// </summary>
    public static EvolutionCheckpoint LoadFor(string path, EvolutionStrategyKind strategy, int parameters, string what)
    {
        var checkpoint = Load(path);
        if (checkpoint.State.Strategy != strategy)
            throw new CheckpointException($"{path} holds a '{OptionName.Of(checkpoint.State.Strategy)}' evolution; resume it with --strategy {OptionName.Of(checkpoint.State.Strategy)}.");
        if (checkpoint.State.Mean.Length != parameters)
            throw new CheckpointException($"{path} holds {checkpoint.State.Mean.Length} evolved parameters; {what} has {parameters}.");
        return checkpoint;
    }

    // Every number a strategy continues from: finite, step size and variances positive, vectors of one length, and a
    // record no longer than the generations done.
    private static void Validate(EvolutionCheckpoint c)
    {
        var s = c.State;
        if (!Enum.IsDefined(s.Strategy)) throw new JsonException($"the strategy {(int)s.Strategy} is unknown");
        if (s.Mean is not { Length: > 0 } || s.Mean.Any(v => !double.IsFinite(v))) throw new JsonException("the mean is missing, empty or not finite");
        if (s.Generation < 0) throw new JsonException($"the generation count {s.Generation} is negative");
        if (!(s.Sigma > 0) || !double.IsFinite(s.Sigma)) throw new JsonException($"the step size σ = {s.Sigma} is not a positive finite number");
        // The diagonal CMA-ES adapts one variance and one path entry per parameter; OpenAI-ES keeps neither.
        var perParameter = s.Strategy == EvolutionStrategyKind.Cma ? s.Mean.Length : 0;
        if (s.Variance is null || s.Variance.Length != perParameter || s.Variance.Any(v => !(v > 0) || !double.IsFinite(v)))
            throw new JsonException($"the variances are not {perParameter} positive finite numbers");
        if (s.PathSigma is null || s.PathSigma.Length != perParameter || s.PathSigma.Any(v => !double.IsFinite(v)))
            throw new JsonException($"the step-size path is not {perParameter} finite numbers");
        if (c.History is null || c.History.Length > s.Generation) throw new JsonException($"the history is missing or longer than the {s.Generation} generations done");
        if (c.History.Where((h, i) => h is null || h.Generation != s.Generation - c.History.Length + i + 1 || !double.IsFinite(h.Best) || !double.IsFinite(h.Mean)).Any())
            throw new JsonException("the history's generations are out of order or its fitness values are not finite");
    }
}
