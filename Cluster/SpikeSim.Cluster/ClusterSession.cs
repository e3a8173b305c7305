using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans;
using Orleans.Runtime;
using SpikeSim.Simulator.Errors;

namespace SpikeSim.Cluster;

/// <summary>
/// A command's place in a cluster: its own silo (which runs no work, except <c>in-process</c>, where it is the one
/// worker), the workers it started (<c>local:N</c>) or found (<c>redis:…</c>), and <see cref="RunAll"/>, which spreads
/// a list of items over every live worker's slots. An item whose worker is lost mid-call — killed, disconnected,
/// declared dead — goes back in the queue and runs on a survivor; since an item's result depends on the item alone,
/// the results are those of an uninterrupted run.
/// </summary>
public sealed class ClusterSession : IDisposable
{
    private readonly IHost _host;
    private readonly IGrainFactory _grains;
    private readonly SiloAddress _self;
    private readonly List<LocalWorker> _children = [];
    private readonly HashSet<SiloAddress> _lost = [];
    private readonly Dictionary<SiloAddress, int> _threads = [];
    private readonly Action<string> _log;

    private ClusterSession(IHost host, ClusterAddress address, Action<string> log)
    {
        (_host, Address, _log) = (host, address, log);
        _grains = host.Services.GetRequiredService<IGrainFactory>();
        _self = host.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
    }

    /// <summary>Where the work goes.</summary>
    public ClusterAddress Address { get; }

    /// <summary>"3 workers (local:3)", for progress lines.</summary>
    public string Description => $"{_workersSeen} worker{(_workersSeen == 1 ? "" : "s")} ({Address})";

    /// <summary>Each worker's share of the last <see cref="RunAll"/>: items done and their rate, for progress lines.</summary>
    public string LastRound { get; private set; } = "";

    private int _workersSeen;

    /// <summary>
    /// Joins <paramref name="address"/>: for <c>in-process</c>, starts this process's silo as the one worker, serving
    /// <paramref name="served"/> on <paramref name="threadsPerWorker"/> slots; for <c>local:N</c>, starts this process's
    /// silo as the primary and N <c>spikesim worker</c> processes of <paramref name="threadsPerWorker"/> threads each, and
    /// waits for all of them; for <c>redis:…</c>, joins the cluster and waits for at least one worker. <paramref name="log"/>
    /// gets progress lines; <paramref name="advertise"/> and <paramref name="port"/> fix the address workers reach this silo
    /// at and its two ports.
    /// </summary>
    public static ClusterSession Start(ClusterAddress address, int threadsPerWorker, Action<string> log, string clusterId = "spikesim", IPAddress? advertise = null,
        int? port = null, JobCatalog? served = null)
    {
        if (address is ClusterAddress.Primary) throw new InvalidParameterException("--cluster primary:PORT is for the workers a local:N command starts.");
        if (address is ClusterAddress.InProcess && served is null) throw new ArgumentNullException(nameof(served), "an in-process silo serves the command's jobs itself.");
        if (address is ClusterAddress.Local or ClusterAddress.InProcess) clusterId = $"spikesim-{Environment.ProcessId}-{Guid.NewGuid():N}";
        var host = address is ClusterAddress.InProcess
            ? SiloSetup.Build(address, clusterId, advertise, served!, Math.Max(1, threadsPerWorker), port)
            : SiloSetup.Build(address, clusterId, advertise, new JobCatalog([]), 0, port);
        SiloSetup.Start(host, address);
        var session = new ClusterSession(host, address, log);
        try
        {
            if (address is ClusterAddress.Local local)
            {
                var primaryPort = host.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.Endpoint.Port;
                for (var w = 0; w < local.Workers; w++)
                    session._children.Add(LocalWorker.Start(w + 1, ["worker", "--cluster", $"primary:{primaryPort}", "--cluster-id", clusterId, "--threads", $"{threadsPerWorker}", "--parent", $"{Environment.ProcessId}"], log));
            }
            session.WaitForWorkers(address is ClusterAddress.Local l ? l.Workers : 1);
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private void WaitForWorkers(int count)
    {
        var clock = Stopwatch.StartNew();
        var nextNote = TimeSpan.Zero;
        while (true)
        {
            var live = LiveWorkers().GetAwaiter().GetResult();
            if (live.Count >= count)
            {
                _workersSeen = live.Count;
                _log($"cluster {Address}: {live.Count} worker{(live.Count == 1 ? "" : "s")} joined in {clock.Elapsed.TotalSeconds:0.0} s");
                return;
            }
            if (_children.FirstOrDefault(c => c.HasExited) is { } dead)
                throw new InvalidOperationException($"worker {dead.Number} exited before joining the cluster: {dead.LastOutput}");
            if (Address is ClusterAddress.Local && clock.Elapsed > TimeSpan.FromMinutes(2))
                throw new TimeoutException($"only {live.Count} of {count} local workers joined within 2 minutes.");
            if (clock.Elapsed >= nextNote)
            {
                if (Address is ClusterAddress.Redis) _log($"cluster {Address}: waiting for a worker (start one with: spikesim worker --cluster {Address})");
                nextNote += TimeSpan.FromSeconds(30);
            }
            Thread.Sleep(200);
        }
    }

    /// <summary>
    /// The results of <paramref name="items"/> of job <paramref name="job"/>, in order, computed on the workers;
    /// <paramref name="onResult"/> hears of each result (its index and bytes) as it arrives, from any thread, once.
    /// </summary>
    public byte[][] RunAll(string job, string parameters, IReadOnlyList<byte[]> items, Action<int, byte[]>? onResult = null) =>
        RunAllAsync(job, parameters, items, onResult).GetAwaiter().GetResult();

    private async Task<byte[][]> RunAllAsync(string job, string parameters, IReadOnlyList<byte[]> items, Action<int, byte[]>? onResult)
    {
        var clock = Stopwatch.StartNew();
        var results = new byte[items.Count][];
        var pending = new ConcurrentQueue<int>(Enumerable.Range(0, items.Count));
        var losses = new int[items.Count];
        var done = 0;
        var workers = new Dictionary<SiloAddress, Worker>();
        var quietSince = Stopwatch.StartNew();
        while (Volatile.Read(ref done) < items.Count)
        {
            var live = await LiveWorkers();
            foreach (var (silo, worker) in workers)
                if (!worker.Lost.IsCancellationRequested && !live.Contains(silo)) Lose(worker, "left the cluster");
            foreach (var silo in live.Where(s => !workers.ContainsKey(s)))
            {
                var worker = workers[silo] = new Worker(silo);
                try
                {
                    if (!_threads.TryGetValue(silo, out var threads)) _threads[silo] = threads = await _grains.GetGrain<IWorkSlot>(WorkSlot.Key(silo, 0)).Threads();
                    worker.Slots = Enumerable.Repeat(Task.CompletedTask, Math.Max(1, threads)).ToArray();
                }
                catch (Exception e) when (IsLoss(e))
                {
                    Lose(worker, Why(e));
                }
            }
            _workersSeen = workers.Values.Count(w => !w.Lost.IsCancellationRequested);
            // A job's own error (not a lost worker) ends the run at once, with that error.
            foreach (var fault in workers.Values.SelectMany(w => w.Slots).Where(t => t.IsFaulted)) await fault;
            foreach (var worker in workers.Values.Where(w => !w.Lost.IsCancellationRequested))
                for (var slot = 0; slot < worker.Slots.Length; slot++)
                    if (worker.Slots[slot].IsCompleted && !pending.IsEmpty) worker.Slots[slot] = Serve(worker, slot);
            var running = workers.Values.SelectMany(w => w.Slots).Where(t => !t.IsCompleted).ToArray();
            if (running.Length == 0 && !pending.IsEmpty)
            {
                if (Address is ClusterAddress.Local && !_children.Any(c => !c.HasExited))
                    throw new InvalidOperationException($"every local worker has exited; {pending.Count} of {items.Count} items were not run.");
                if (quietSince.Elapsed > TimeSpan.FromSeconds(30))
                {
                    _log($"cluster {Address}: no live worker; {pending.Count} items wait");
                    quietSince.Restart();
                }
            }
            else quietSince.Restart();
            await Task.WhenAny(running.Length == 0 ? Task.Delay(200) : Task.WhenAny(Task.WhenAny(running), Task.Delay(500)));
        }
        foreach (var fault in workers.Values.SelectMany(w => w.Slots).Where(t => t.IsFaulted)) await fault;
        var seconds = clock.Elapsed.TotalSeconds;
        LastRound = string.Join(", ", workers.Values.Select(w => $"{w.Silo.Endpoint}{(w.Lost.IsCancellationRequested ? " (lost)" : "")} {w.Done} ({w.Done / seconds:0.0}/s)"));
        return results;

        async Task Serve(Worker worker, int slot)
        {
            var grain = _grains.GetGrain<IWorkSlot>(WorkSlot.Key(worker.Silo, slot));
            while (!worker.Lost.IsCancellationRequested && pending.TryDequeue(out var i))
            {
                try
                {
                    results[i] = await grain.Run(job, parameters, items[i]).WaitAsync(worker.Lost.Token);
                    onResult?.Invoke(i, results[i]);
                    Interlocked.Increment(ref worker.Done);
                    Interlocked.Increment(ref done);
                }
                catch (Exception e) when (IsLoss(e))
                {
                    // An item that has now taken down three workers is not a worker's fault: stop retrying it.
                    if (Interlocked.Increment(ref losses[i]) >= 3)
                        throw new InvalidOperationException($"item {i} of job {job} failed on 3 workers; the last said: {e.GetBaseException().Message}", e);
                    pending.Enqueue(i);
                    Lose(worker, Why(e));
                }
            }
        }
    }

    private void Lose(Worker worker, string why)
    {
        lock (_lost)
        {
            if (!_lost.Add(worker.Silo)) return;
        }
        worker.Lost.Cancel();
        _log($"cluster {Address}: lost worker {worker.Silo.Endpoint} ({why}); its items go to the others");
    }

    private static string Why(Exception e) => e is OperationCanceledException ? "left the cluster" : e.GetType().Name;

    /// <summary>Failures that mean "this worker is gone", as opposed to an error of the job itself (which ends the run).</summary>
    private static bool IsLoss(Exception e) => e is OrleansException or TimeoutException or OperationCanceledException or System.Net.Sockets.SocketException;

    private async Task<HashSet<SiloAddress>> LiveWorkers()
    {
        var hosts = await _grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        // The command's own silo serves no work unless it is the in-process worker.
        lock (_lost) return hosts.Keys.Where(s => (Address is ClusterAddress.InProcess || !s.Equals(_self)) && !_lost.Contains(s)).ToHashSet();
    }

    /// <summary>Stops the workers this session started and leaves the cluster.</summary>
    public void Dispose()
    {
        foreach (var child in _children) child.Dispose();
        try
        {
            _host.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
        }
        _host.Dispose();
    }

    private sealed class Worker(SiloAddress silo)
    {
        public readonly SiloAddress Silo = silo;
        public Task[] Slots = [];
        public readonly CancellationTokenSource Lost = new();
        public int Done;
    }
}
