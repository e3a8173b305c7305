using System.CommandLine;
using SpikeSim.Learning.Evolution;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Errors;

namespace SpikeSim.Cli.Commands;

/// <summary><c>--checkpoint FILE</c> and <c>--resume</c> of the evolution commands, and the checks on what a resumed file holds.</summary>
public sealed class EvolutionCheckpointOptions
{
    public Option<string?> Checkpoint { get; } = new("--checkpoint") { Description = "File for the evolution state and fitness record, written atomically every generation" };

    public Option<bool> Resume { get; } = new("--resume") { Description = "Continue from --checkpoint (--generations is the total)" };

    public IEnumerable<Option> All => [Checkpoint, Resume];

    /// <summary>The checkpoint to continue from, or null for a fresh run; refuses one of another strategy or length.</summary>
    public EvolutionCheckpoint? Load(ParseResult parse, EvolutionStrategyKind strategy, int parameters, string what)
    {
        var path = parse.GetValue(Checkpoint);
        if (!parse.GetValue(Resume)) return null;
        if (path is null) throw new InvalidParameterException("--resume needs --checkpoint FILE.");
        var checkpoint = EvolutionCheckpoint.Load(path);
        if (checkpoint.State.Strategy != strategy)
            throw new InvalidParameterException($"{path} holds a '{OptionName.Of(checkpoint.State.Strategy)}' evolution; resume it with --strategy {OptionName.Of(checkpoint.State.Strategy)}.");
        if (checkpoint.State.Mean.Length != parameters)
            throw new InvalidParameterException($"{path} holds {checkpoint.State.Mean.Length} evolved parameters; {what} has {parameters}.");
        return checkpoint;
    }
}
