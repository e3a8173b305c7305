using System.Text.Json;
using SpikeSim.Simulator.Files;

namespace SpikeSim.Learning.Evolution;

/// <summary>
/// What a checkpoint file holds: the strategy's state, from which the run continues exactly, and the fitness
/// record of every generation so far, so that a resumed run reports and plots its whole history.
/// </summary>
public sealed record EvolutionCheckpoint(EvolutionState State, GenerationResult[] History)
{
    /// <summary>Writes the checkpoint atomically (temporary file, then rename).</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this));

    /// <summary>
    /// Reads a checkpoint written by <see cref="Save"/> (or a bare <see cref="EvolutionState"/>, as files before
    /// the history was kept hold; their history is empty); one clear error where it cannot.
    /// </summary>
    public static EvolutionCheckpoint Load(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var checkpoint = document.RootElement.TryGetProperty(nameof(State), out _)
                ? document.Deserialize<EvolutionCheckpoint>()
                : document.Deserialize<EvolutionState>() is { } bare ? new EvolutionCheckpoint(bare, []) : null;
            if (checkpoint?.State?.Mean is null || checkpoint.State.Mean.Any(v => !double.IsFinite(v)))
                throw new JsonException("the mean is missing or not finite");
            if (checkpoint.History is null || checkpoint.History.Length > checkpoint.State.Generation)
                throw new JsonException($"the history is missing or longer than the {checkpoint.State.Generation} generations done");
            return checkpoint;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            throw new Simulator.Errors.SpikeSimException($"Cannot resume evolution from {path}: {e.Message}", e);
        }
    }
}
