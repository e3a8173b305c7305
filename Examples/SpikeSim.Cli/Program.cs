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
            Console.Error.WriteLine($"error: {ParseErrors.Describe(parse)} (see spikesim --help)");
            return UsageError;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (Unwrap(e) is SpikeSimException user)
        {
            Console.Error.WriteLine($"error: {user.Message}");
            return UsageError;
        }
        catch (Exception e) when (Unwrap(e) is IOException or UnauthorizedAccessException)
        {
            // Outputs are checked before any work; this is the last resort for a disk that fills or a file that vanishes.
            Console.Error.WriteLine($"error: {Unwrap(e).Message}");
            return UsageError;
        }
    }

    private static Exception Unwrap(Exception e) => e is AggregateException { InnerException: { } inner } ? Unwrap(inner) : e;
}
