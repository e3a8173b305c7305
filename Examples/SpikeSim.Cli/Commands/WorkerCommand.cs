using System.CommandLine;
using System.Net;
using System.Runtime.InteropServices;
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
        var port = new Option<int?>("--port") { Description = "Listen on this TCP port (silo-to-silo) and the next one (gateway), for firewalls (default: two free ports)" }.Within(1, 65534);
        var parent = new Option<int?>("--parent") { Description = "Exit when the process with this id exits (used by local:N commands)", Hidden = true };
        var command = new Command("worker", "Serve this machine's cores to the commands of a cluster (evolution candidates, seed runs, sweeps) until stopped")
        {
            cluster, clusterId, threads, address, port, parent,
        };
        command.SetAction((parse, token) =>
        {
            var where = ClusterAddress.Parse(parse.GetValue(cluster)!);
            IPAddress? advertise = null;
            if (parse.GetValue(address) is { } text && !IPAddress.TryParse(text, out advertise))
                throw new InvalidParameterException($"--address '{text}' is not an IP address.");
            var threadCount = parse.GetValue(threads) > 0 ? parse.GetValue(threads) : Environment.ProcessorCount;
            // Ctrl+C and SIGTERM leave the cluster cleanly (the command line is invoked synchronously, so it hooks no signals).
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            WorkerSilo.Run(where, parse.GetValue(clusterId)!, threadCount, new JobCatalog(jobs), parse.GetValue(parent), advertise, parse.GetValue(port), Console.WriteLine, stop.Token);
            Console.WriteLine("worker stopped");
            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                stop.Cancel();
            }
            return Task.FromResult(0);
        });
        return command;
    }
}
