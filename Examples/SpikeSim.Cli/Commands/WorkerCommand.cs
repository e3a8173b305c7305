using System.CommandLine;
using System.Net;
using SpikeSim.Cluster;
using SpikeSim.Simulator.Errors;

namespace SpikeSim.Cli.Commands;

/// <summary><c>spikesim worker --cluster redis:HOST:PORT</c>: serve this machine's cores to the commands of a cluster.</summary>
internal static class WorkerCommand
{
    public static Command Create(IReadOnlyList<IClusterJob> jobs)
    {
        var cluster = new Option<string>("--cluster") { Description = "The cluster to join: redis:HOST:PORT (Redis keeps the membership)", Required = true };
        var clusterId = new Option<string>("--cluster-id") { Description = "Orleans cluster id; commands and workers of one cluster share it", DefaultValueFactory = _ => "spikesim" };
        var threads = CommonOptions.Threads();
        var address = new Option<string?>("--address") { Description = "The IP address other machines reach this worker at (default: this machine's first non-loopback IPv4 address)" };
        var parent = new Option<int?>("--parent") { Description = "Exit when the process with this id exits (used by local:N commands)", Hidden = true };
        var command = new Command("worker", "Serve this machine's cores to the commands of a cluster (evolution candidates, seed runs, sweeps) until stopped")
        {
            cluster, clusterId, threads, address, parent,
        };
        command.SetAction((parse, token) =>
        {
            var where = ClusterAddress.Parse(parse.GetValue(cluster)!);
            IPAddress? advertise = null;
            if (parse.GetValue(address) is { } text && !IPAddress.TryParse(text, out advertise))
                throw new InvalidParameterException($"--address '{text}' is not an IP address.");
            var threadCount = parse.GetValue(threads) > 0 ? parse.GetValue(threads) : Environment.ProcessorCount;
            WorkerSilo.Run(where, parse.GetValue(clusterId)!, threadCount, new JobCatalog(jobs), parse.GetValue(parent), advertise, Console.WriteLine, token);
            return Task.FromResult(0);
        });
        return command;
    }
}
