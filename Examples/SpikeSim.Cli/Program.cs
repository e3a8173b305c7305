using System.CommandLine;
using SpikeSim.Cli.Commands;
using SpikeSim.Simulator.Errors;

namespace SpikeSim.Cli;

/// <summary>The <c>spikesim</c> command.</summary>
public static class Program
{
    /// <summary>Exit code for bad input: a bad option, an impossible parameter, a missing device.</summary>
    public const int UsageError = 2;

    public static int Main(string[] args)
    {
        var root = new RootCommand("SpikeSim: spiking neural networks on GPUs and CPUs")
        {
            SimulateCommand.Create(),
            TrainCommand.Create(),
            CompareCommand.Create(),
            MetaCommand.Create(),
            BenchCommand.Create(),
            ModelFileCommands.Export(),
            ModelFileCommands.Inspect(),
        };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            Console.Error.WriteLine($"error: {parse.Errors[0].Message} (see spikesim --help)");
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
    }

    private static Exception Unwrap(Exception e) => e is AggregateException { InnerException: { } inner } ? Unwrap(inner) : e;
}
