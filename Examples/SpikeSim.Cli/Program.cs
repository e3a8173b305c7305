using System.CommandLine;
using SpikeSim.Cli.Commands;
using SpikeSim.Simulator.Errors;

namespace SpikeSim.Cli;

/// <summary>The <c>spikesim</c> command.</summary>
public static class Program
{
    /// <summary>Exit code for bad input: a bad option, an impossible parameter, a missing device.</summary>
    public const int UsageError = 2;

    /// <summary>
    /// Every source of commands, in the order they are added: the experiments (each one folder under
    /// <c>Experiments/</c>), then the library's own commands, which offer what the experiments registered.
    /// </summary>
    private static readonly ICommandSource[] Sources =
    [
        new Experiments.Cuba.CubaCommands(),
        new Experiments.Brunel.BrunelCommands(),
        new Experiments.Microcircuit.MicrocircuitCommands(),
        new Experiments.DistalReward.DistalRewardCommands(),
        new Experiments.PatternAssociation.PatternAssociationCommands(),
        new Experiments.Backpropamine.BackpropamineCommands(),
        new Experiments.Maze.MazeCommands(),
        new Experiments.Neuromodulation.NeuromodulationCommands(),
        new Experiments.FiCurve.FiCurveCommands(),
        new LibraryCommands(),
    ];

    /// <summary>The whole command line: every source's commands, networks and inspectors.</summary>
    internal static CommandTree BuildTree()
    {
        var tree = new CommandTree(new RootCommand("SpikeSim: spiking neural networks on GPUs and CPUs") { OutputFile.Force });
        foreach (var source in Sources) source.AddTo(tree);
        return tree;
    }

    public static int Main(string[] args)
    {
        var tree = BuildTree();
        var parse = tree.Root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            Console.Error.WriteLine($"error: {OneLine(ParseErrors.Describe(parse))} (see spikesim --help)");
            return UsageError;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (Unwrap(e) is SpikeSimException user)
        {
            Console.Error.WriteLine($"error: {OneLine(user.Message)}");
            return UsageError;
        }
        catch (Exception e) when (Unwrap(e) is IOException or UnauthorizedAccessException)
        {
            // Outputs are checked before any work; this is the last resort for a disk that fills or a file that vanishes.
            Console.Error.WriteLine($"error: {OneLine(Unwrap(e).Message)}");
            return UsageError;
        }
    }

    /// <summary>
    /// An error message as one printable line: a damaged file's names can hold newlines, NULs and megabytes of text, which
    /// are escaped and cut so that the error stays one readable line.
    /// </summary>
    internal static string OneLine(string message, int maxLength = 500)
    {
        var text = new System.Text.StringBuilder(Math.Min(message.Length, maxLength + 16));
        foreach (var c in message)
        {
            if (text.Length >= maxLength)
            {
                text.Append(" …");
                break;
            }
            if (char.IsControl(c)) text.Append(c == '\n' ? "\\n" : $"\\x{(int)c:x2}");
            else text.Append(c);
        }
        return text.ToString();
    }

    internal static Exception Unwrap(Exception e) => e is AggregateException { InnerException: { } inner } ? Unwrap(inner) : e;
}
