using System.CommandLine;
using SpikeSim.Cluster;

namespace SpikeSim.Cli.Commands;

/// <summary>
/// <c>--cluster local:N|redis:HOST:PORT</c>: where a command's parallel work (evolution candidates, seed runs, sweep
/// points) runs. Absent, it runs on this process's threads as always; the results are the same either way.
/// </summary>
public sealed class ClusterOption
{
    /// <summary>The option itself.</summary>
    public Option<string?> Option { get; } = new("--cluster")
    {
        Description = "Spread the work over Orleans workers: local:N (N worker processes on this machine) or redis:HOST:PORT " +
                      "(workers started with `spikesim worker --cluster redis:HOST:PORT` on any machine); the results do not change",
    };

    public ClusterOption() =>
        Option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 0) return;
            try
            {
                ClusterAddress.Parse(result.Tokens[0].Value);
            }
            catch (SpikeSim.Simulator.Errors.InvalidParameterException e)
            {
                result.AddError(e.Message);
            }
        });

    /// <summary>
    /// The cluster session the command asked for, or null (this process's threads). A local cluster's workers share this
    /// machine's cores: each gets max(1, cores / N) threads, or <paramref name="threads"/> when given.
    /// </summary>
    public ClusterSession? Start(ParseResult parse, int threads = 0)
    {
        if (parse.GetValue(Option) is not { } text) return null;
        var address = ClusterAddress.Parse(text);
        var perWorker = threads > 0 ? threads : address is ClusterAddress.Local local ? Math.Max(1, Environment.ProcessorCount / local.Workers) : 1;
        return ClusterSession.Start(address, perWorker, line => Console.WriteLine($"  {line}"));
    }
}
