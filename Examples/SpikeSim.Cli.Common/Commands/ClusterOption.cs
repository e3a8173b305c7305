using System.CommandLine;
using SpikeSim.Cluster;

namespace SpikeSim.Cli.Commands;

/// <summary>
/// <c>--cluster in-process|local:N|redis:HOST:PORT</c>: where a command's parallel work (evolution candidates, seed runs,
/// sweep points) runs. Absent, it runs on this process's threads with no silo; the results are the same either way.
/// </summary>
/// <param name="served">The jobs the command sends, which its own silo serves with <c>--cluster in-process</c>.</param>
public sealed class ClusterOption(params IClusterJob[] served)
{
    /// <summary>The option itself; a malformed address is a parse error naming the forms.</summary>
    public Option<string?> Option { get; } = Parsed(new("--cluster")
    {
        Description = "Spread the work over Orleans workers: in-process (this process's own silo), local:N (N worker processes on this machine) or redis:HOST:PORT " +
                      "(workers started with `spikesim worker --cluster redis:HOST:PORT` on any machine); the results do not change",
    });

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

    private readonly JobCatalog _served = new(served);

    private static Option<string?> Parsed(Option<string?> option)
    {
        option.Validators.Add(result =>
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
        return option;
    }

    /// <summary>
    /// The cluster session the command asked for, or null (this process's threads). A local cluster's workers share this
    /// machine's cores: each gets max(1, cores / N) threads, or <paramref name="threads"/> when given; an in-process silo
    /// serves as many slots as this machine has cores, or <paramref name="threads"/>.
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
        var perWorker = threads > 0 ? threads : address switch
        {
            ClusterAddress.Local local => Math.Max(1, Environment.ProcessorCount / local.Workers),
            ClusterAddress.InProcess => Environment.ProcessorCount,
            _ => 1,
        };
        return ClusterSession.Start(address, perWorker, line => Console.WriteLine($"  {line}"), advertise: advertise, port: parse.GetValue(Port), served: _served);
    }
}
