using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime;

namespace SpikeSim.Cluster;

/// <summary><c>spikesim worker</c>: a silo that serves the jobs of <see cref="JobCatalog"/> to whichever command of its cluster calls.</summary>
public static class WorkerSilo
{
    /// <summary>
    /// Joins <paramref name="address"/> with <paramref name="threads"/> slots and serves until <paramref name="stop"/> is
    /// cancelled or, with <paramref name="parent"/>, until that process ends (a <c>local:N</c> command that is killed takes
    /// its workers with it). It listens on <paramref name="port"/> and the next port, or on two free ports.
    /// </summary>
    public static void Run(ClusterAddress address, string clusterId, int threads, JobCatalog jobs, int? parent, IPAddress? advertise, int? port, Action<string> log, CancellationToken stop)
    {
        if (address is ClusterAddress.Local or ClusterAddress.InProcess) throw new Simulator.Errors.InvalidParameterException("spikesim worker joins a cluster: --cluster redis:HOST:PORT (local:N workers are started by the command itself; in-process is the command's own silo).");
        using var host = SiloSetup.Build(address, clusterId, advertise, jobs, threads, port);
        SiloSetup.Start(host, address, stop);
        var silo = host.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
        log($"worker {silo.Endpoint} joined {address} (cluster id {clusterId}) with {threads} thread{(threads == 1 ? "" : "s")}; jobs: {string.Join(", ", jobs.Names)}");
        var ended = parent is { } pid ? ParentEnded(pid) : Task.Delay(Timeout.Infinite, stop);
        try
        {
            Task.WhenAny(ended, Task.Delay(Timeout.Infinite, stop)).GetAwaiter().GetResult();
        }
        finally
        {
            host.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token).ContinueWith(_ => { }).GetAwaiter().GetResult();
        }
    }

    private static Task ParentEnded(int pid)
    {
        try
        {
            return Process.GetProcessById(pid).WaitForExitAsync();
        }
        catch (ArgumentException)
        {
            return Task.CompletedTask;
        }
    }
}
