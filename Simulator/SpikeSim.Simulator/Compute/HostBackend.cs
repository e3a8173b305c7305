using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using System.Runtime.CompilerServices;

namespace SpikeSim.Simulator.Compute;

/// <summary>
/// The CPU backend: buffers in host memory and a launcher that splits the index range into one
/// chunk per core and calls the kernel's body in a tight loop (the JIT specialises and inlines it
/// for each kernel struct). Small launches run on the calling thread, where a hand-off would cost
/// more than the work; larger ones are split where timing shows it pays (<see cref="SplitDecision"/>).
/// ILGPU's CPU accelerator only allocates the memory here; it never launches.
/// </summary>
public sealed class HostBackend : IComputeBackend
{
    /// <summary>Launches with fewer indices than this run on the calling thread; larger ones are split where that is faster.</summary>
    public const int ParallelThreshold = 32_768;

    private readonly Context _context;
    private readonly CPUAccelerator _memory;
    private readonly HostWorkerPool? _pool;
    private readonly Dictionary<Type, object> _jobs = new();

    /// <summary>Creates a host backend on <paramref name="threads"/> threads (default: all cores).</summary>
    public HostBackend(int threads = 0)
    {
        if (threads <= 0) threads = Environment.ProcessorCount;
        Threads = threads;
        _context = Context.Create(builder => builder.CPU());
        _memory = _context.CreateCPUAccelerator(0);
        _pool = threads > 1 ? new HostWorkerPool(threads - 1) : null;
    }

    /// <summary>Threads the launcher uses, the caller's included.</summary>
    public int Threads { get; }

    /// <inheritdoc />
    public int HostThreads => Threads;

    /// <inheritdoc />
    public DeviceKind Kind => DeviceKind.Cpu;

    /// <inheritdoc />
    public string Description => $"CPU ({Threads} thread{(Threads == 1 ? "" : "s")}, host launcher)";

    /// <inheritdoc />
    public bool IsHostMemory => true;

    /// <inheritdoc />
    public bool OrderedScatter => true;

    /// <inheritdoc />
    public DeviceBuffer<T> Allocate<T>(long length) where T : unmanaged
    {
        // Each buffer starts at a page boundary plus a stagger of (k mod 16)·256 bytes. Page
        // alignment keeps vector loads inside cache lines; the stagger keeps the many streams of a
        // neuron step (v, currents, inputs, ...) from sharing address bits 0–11, where a load
        // after a store to another stream is falsely seen as dependent (4K aliasing). Without it
        // the CUBA step ran 40 % slower in some processes than in others.
        var elementSize = Unsafe.SizeOf<T>();
        var stagger = Interlocked.Increment(ref _allocations) % 16 * 256;
        var buffer = _memory.Allocate1D<T>(Math.Max(length, 1) + (PageBytes + stagger + elementSize - 1) / elementSize);
        var start = (PageBytes - buffer.NativePtr % PageBytes) % PageBytes + stagger;
        return new DeviceBuffer<T>(buffer, isHostMemory: true, start / elementSize, Math.Max(length, 1));
    }

    private const int PageBytes = 4096;
    private int _allocations;

    /// <inheritdoc />
    public void Launch<TKernel>(int length, in TKernel kernel) where TKernel : struct, IKernel
    {
        if (length <= 0) return;
        var k = kernel;
        if (_pool is null || HostKernelDispatch<TKernel>.IsScatter || length < ParallelThreshold)
        {
            HostKernelDispatch<TKernel>.Range(ref k, 0, length);
            return;
        }
        // One pool serves one launch at a time: launches from several threads take turns here.
        lock (_pool)
        {
            var job = GetJob<TKernel>();
            var decision = job.Decisions[System.Numerics.BitOperations.Log2((uint)length)] ??= new SplitDecision();
            var split = decision.NextSplit;
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            if (split)
            {
                job.Kernel = k;
                job.Length = length;
                job.Chunks = Math.Min(_pool.Parallelism, length / (ParallelThreshold / 2));
                _pool.Run(job, job.Chunks);
                job.Kernel = default;
            }
            else HostKernelDispatch<TKernel>.Range(ref k, 0, length);
            decision.Record(split, length, System.Diagnostics.Stopwatch.GetTimestamp() - start);
        }
    }

    /// <inheritdoc />
    public void Synchronize()
    {
    }

    private RangeJob<TKernel> GetJob<TKernel>() where TKernel : struct, IKernel
    {
        if (_jobs.TryGetValue(typeof(TKernel), out var job)) return (RangeJob<TKernel>)job;
        var created = new RangeJob<TKernel>();
        _jobs[typeof(TKernel)] = created;
        return created;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _pool?.Dispose();
        _memory.Dispose();
        _context.Dispose();
    }

    private sealed class RangeJob<TKernel> : IHostJob where TKernel : struct, IKernel
    {
        public TKernel Kernel;
        public int Length;
        public int Chunks;

        /// <summary>Split or not, per size class (⌊log₂ length⌋).</summary>
        public readonly SplitDecision?[] Decisions = new SplitDecision?[32];

        public void RunChunk(int chunk)
        {
            // Chunk edges on multiples of 64 keep vector loops and cache lines whole.
            var start = (int)((long)Length * chunk / Chunks) & ~63;
            var end = chunk == Chunks - 1 ? Length : (int)((long)Length * (chunk + 1) / Chunks) & ~63;
            var k = Kernel;
            HostKernelDispatch<TKernel>.Range(ref k, start, end);
        }
    }
}
