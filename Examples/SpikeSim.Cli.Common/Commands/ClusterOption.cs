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

    /// <summary>The address other machines reach the command's silo at (a Redis cluster across machines).</summary>
    public Option<string?> Address { get; } = new("--cluster-address")
    {
        Description = "With --cluster redis:…: the IP address workers on other machines reach this command at (default: this machine's first non-loopback IPv4 address)",
    };

    /// <summary>The command's silo's ports, for firewalls.</summary>
    public Option<int?> Port { get; } = new Option<int?>("--cluster-port")
    {
        Description = "With --cluster: this command's silo listens on this TCP port (silo-to-silo) and the next one (gateway), for firewalls (default: two free ports)",
    }.Within(1, 65534);

    /// <summary>Adds <c>--cluster</c>, <c>--cluster-address</c> and <c>--cluster-port</c> to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Add(Option);
        command.Add(Address);
        command.Add(Port);
    }

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
        if (parse.GetValue(Option) is not { } text)
        {
            CommonOptions.Refuse(parse, Address, "it sets where workers reach this command's silo (with --cluster)");
            CommonOptions.Refuse(parse, Port, "it sets this command's silo's ports (with --cluster)");
            return null;
        }
        var address = ClusterAddress.Parse(text);
        System.Net.IPAddress? advertise = null;
        if (parse.GetValue(Address) is { } ip && !System.Net.IPAddress.TryParse(ip, out advertise))
            throw new SpikeSim.Simulator.Errors.InvalidParameterException($"--cluster-address '{ip}' is not an IP address.");
        if (advertise is not null && address is not ClusterAddress.Redis)
            throw new SpikeSim.Simulator.Errors.InvalidParameterException("--cluster-address is for a Redis cluster across machines; local:N workers reach the command on this machine.");
        var perWorker = threads > 0 ? threads : address is ClusterAddress.Local local ? Math.Max(1, Environment.ProcessorCount / local.Workers) : 1;
        return ClusterSession.Start(address, perWorker, line => Console.WriteLine($"  {line}"), advertise: advertise, port: parse.GetValue(Port));
    }
}
