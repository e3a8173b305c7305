using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;

namespace SpikeSim.Cluster;

/// <summary>How every SpikeSim silo — a command's coordinator or a worker — joins its cluster.</summary>
internal static class SiloSetup
{
    /// <summary>Orleans' service id: silos of different services never talk.</summary>
    public const string ServiceId = "spikesim";

    /// <summary>
    /// A host whose silo joins <paramref name="address"/> (for <see cref="ClusterAddress.Local"/>, as its primary) with the
    /// given jobs, listening on <paramref name="port"/> (silo) and the next port (gateway), or on two free ports.
    /// </summary>
    public static IHost Build(ClusterAddress address, string clusterId, IPAddress? advertise, JobCatalog jobs, int threads, int? port = null)
    {
        var (siloPort, gatewayPort) = port is { } p ? (p, p + 1) : (FreePort(), FreePort());
        return new HostBuilder()
            .UseOrleans(silo =>
            {
                switch (address)
                {
                    case ClusterAddress.Local or ClusterAddress.InProcess:
                        silo.UseLocalhostClustering(siloPort, gatewayPort, null, ServiceId, clusterId);
                        break;
                    case ClusterAddress.Primary primary:
                        silo.UseLocalhostClustering(siloPort, gatewayPort, primary.Endpoint, ServiceId, clusterId);
                        break;
                    case ClusterAddress.Redis redis:
                        silo.UseRedisClustering(o => o.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse($"{redis.Host}:{redis.Port}"));
                        silo.Configure<ClusterOptions>(o => (o.ServiceId, o.ClusterId) = (ServiceId, clusterId));
                        silo.ConfigureEndpoints(advertise ?? LocalAddress(), siloPort, gatewayPort, listenOnAnyHostAddress: true);
                        break;
                }
                // A killed worker is declared dead within a few seconds; the coordinator re-queues its items at once anyway.
                silo.Configure<ClusterMembershipOptions>(o =>
                {
                    o.ProbeTimeout = TimeSpan.FromSeconds(1);
                    o.NumMissedProbesLimit = 2;
                    o.NumVotesForDeathDeclaration = 1;
                });
                // An item may take minutes (a whole training run of a sweep); lost workers are found by membership, not by timeouts.
                silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromHours(6));
                silo.Services.AddPlacementDirector<WorkerSlotPlacement, WorkerSlotPlacementDirector>();
                silo.Services.AddSingleton(jobs);
                silo.Services.AddSingleton(new WorkerThreads(threads));
            })
            .Build();
    }

    /// <summary>Starts <paramref name="host"/>'s silo; a Redis server that cannot be reached is the user's error, said in one line.</summary>
    public static void Start(IHost host, ClusterAddress address, CancellationToken cancel = default)
    {
        try
        {
            host.StartAsync(cancel).GetAwaiter().GetResult();
        }
        catch (Exception e) when (address is ClusterAddress.Redis && e is not OperationCanceledException)
        {
            host.Dispose();
            throw new Simulator.Errors.InvalidParameterException($"--cluster {address}: could not join ({e.GetBaseException().Message}). Is redis-server running there?");
        }
    }

    /// <summary>A TCP port nobody listens on now (the usual race with other programs is accepted).</summary>
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>This machine's first IPv4 address other than loopback, which other machines can reach; loopback if it has none.</summary>
    private static IPAddress LocalAddress() =>
        Dns.GetHostAddresses(Dns.GetHostName()).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a)) ?? IPAddress.Loopback;
}
