using System.CommandLine;
using SpikeSim.Simulator.Errors;

namespace SpikeSim.Cli.Commands;

/// <summary>
/// <c>--checkpoint FILE</c> and <c>--resume</c>, the same for every long-running command: the checkpoint is one file,
/// written atomically after every unit of work (epoch, generation, run); a new run refuses an existing file, a
/// resumed one needs it; a resumed run may raise its total (epochs, generations, seeds) to extend a finished run.
/// Every reader of the run's results takes the same file.
/// </summary>
public sealed class CheckpointOptions
{
    /// <param name="unit">What is saved after: "epoch", "generation", "run".</param>
    /// <param name="total">The option whose value is the total a resumed run goes on to ("--epochs").</param>
    public CheckpointOptions(string unit, string total)
    {
        Checkpoint = new Option<string?>("--checkpoint") { Description = $"Checkpoint FILE, written atomically after every {unit}; a new run refuses an existing one", HelpName = "FILE" };
        Resume = new Option<bool>("--resume") { Description = $"Continue the run in --checkpoint; {total} is the total, so a larger value extends a finished run" };
    }

    /// <summary>The checkpoint file.</summary>
    public Option<string?> Checkpoint { get; }

    /// <summary>Continue the run in the checkpoint.</summary>
    public Option<bool> Resume { get; }

    /// <summary>Adds both options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Add(Checkpoint);
        command.Add(Resume);
    }

    /// <summary>
    /// The checkpoint file and whether to resume from it, checked before any work: --resume needs an existing file,
    /// a new run a path that is not taken and whose folder exists; a folder is never a checkpoint.
    /// </summary>
    public (string? Path, bool Resume) From(ParseResult parse)
    {
        var (path, resume) = (parse.GetValue(Checkpoint), parse.GetValue(Resume));
        if (path is null)
            return resume ? throw new InvalidParameterException("--resume needs --checkpoint FILE, the checkpoint of the run to continue.") : (null, false);
        if (path.Length == 0) throw new InvalidParameterException("--checkpoint needs a file name.");
        if (Directory.Exists(path))
            throw new InvalidParameterException($"--checkpoint {path} is a folder; a checkpoint is a file (train checkpoints of SpikeSim 0.1 were folders: give the checkpoint.spkckpt inside).");
        if (resume && !File.Exists(path)) throw new InvalidParameterException($"There is no checkpoint to resume at {path}.");
        if (!resume && File.Exists(path))
            throw new InvalidParameterException($"{path} already exists; pass --resume to continue that run, or choose another --checkpoint file.");
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        if (!Directory.Exists(folder)) throw new InvalidParameterException($"--checkpoint {path}: the folder {folder} does not exist.");
        return (path, resume);
    }
}
