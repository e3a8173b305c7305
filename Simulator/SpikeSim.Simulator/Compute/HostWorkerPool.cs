namespace SpikeSim.Simulator.Compute;

/// <summary>One chunked piece of work the pool runs; chunk indices are claimed by any thread.</summary>
internal interface IHostJob
{
    void RunChunk(int chunk);
}

/// <summary>
/// Long-lived worker threads for the host launcher. A launch costs well under a microsecond
/// while the workers spin between time steps (a step of a small network is a few microseconds
/// of work, so thread hand-offs decide speed); after <see cref="SpinMicroseconds"/> idle they block.
/// The calling thread works on chunks too.
/// </summary>
internal sealed class HostWorkerPool : IDisposable
{
    private const int SpinMicroseconds = 200;
    private readonly Thread[] _threads;
    private readonly ManualResetEventSlim _wake = new(false);
    private IHostJob? _job;
    private int _chunks;
    private int _pending;
    // Generation in the high 32 bits, next chunk index in the low 32: a worker that wakes late
    // for an old launch sees a different generation and claims nothing of the new one.
    private long _claims;
    private int _generation;
    private volatile bool _disposed;

    public HostWorkerPool(int workers)
    {
        _threads = new Thread[workers];
        for (var w = 0; w < workers; w++)
        {
            _threads[w] = new Thread(WorkerLoop) { IsBackground = true, Name = $"spikesim-host-{w}" };
            _threads[w].Start();
        }
    }

    /// <summary>Threads that can work on a job, the caller included.</summary>
    public int Parallelism => _threads.Length + 1;

    public void Run(IHostJob job, int chunks)
    {
        var generation = _generation + 1;
        _job = job;
        _chunks = chunks;
        Volatile.Write(ref _pending, chunks);
        Volatile.Write(ref _claims, (long)generation << 32);
        Volatile.Write(ref _generation, generation);
        if (!_wake.IsSet) _wake.Set();
        RunChunks(generation);
        var spin = new SpinWait();
        while (Volatile.Read(ref _pending) > 0) spin.SpinOnce(-1);
    }

    private void RunChunks(int generation)
    {
        while (true)
        {
            var claims = Volatile.Read(ref _claims);
            if ((int)(claims >> 32) != generation) return;
            var chunk = (int)(claims & 0xFFFF_FFFF);
            if (chunk >= _chunks) return;
            if (Interlocked.CompareExchange(ref _claims, claims + 1, claims) != claims) continue;
            _job!.RunChunk(chunk);
            Interlocked.Decrement(ref _pending);
        }
    }

    private void WorkerLoop()
    {
        var seen = 0;
        var spinTicks = System.Diagnostics.Stopwatch.Frequency * SpinMicroseconds / 1_000_000;
        while (!_disposed)
        {
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            while (Volatile.Read(ref _generation) == seen && !_disposed)
            {
                if (System.Diagnostics.Stopwatch.GetTimestamp() - start < spinTicks)
                {
                    Thread.SpinWait(20);
                    continue;
                }
                _wake.Reset();
                if (Volatile.Read(ref _generation) == seen && !_disposed) _wake.Wait(50);
                start = System.Diagnostics.Stopwatch.GetTimestamp();
            }
            seen = Volatile.Read(ref _generation);
            RunChunks(seen);
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _wake.Set();
        foreach (var t in _threads) t.Join();
        _wake.Dispose();
    }
}
