namespace SpikeSim.Simulator.Compute;

/// <summary>
/// Where kernels run and their buffers live. A backend never mentions a neuron model: it
/// allocates buffers and launches <see cref="IKernel"/> structs.
/// </summary>
public interface IComputeBackend : IDisposable
{
    /// <summary>The kind of device behind this backend.</summary>
    DeviceKind Kind { get; }

    /// <summary>A human-readable device name, e.g. "CPU (2 cores, host launcher)".</summary>
    string Description { get; }

    /// <summary>True when buffers are plain host memory, so the host may read them without copies.</summary>
    bool IsHostMemory { get; }

    /// <summary>
    /// True when <see cref="IScatterKernel"/>s run their indices in ascending order on one thread (the
    /// host launcher), so that compacted lists come out sorted; false where atomics order them (GPUs).
    /// </summary>
    bool OrderedScatter { get; }

    /// <summary>
    /// Reads of device memory by the host so far (copies, and host views of buffers that a GPU would have to copy): each is
    /// a synchronisation on a GPU. Zero on the host launcher, whose buffers are the host's own.
    /// </summary>
    long HostReads => 0;

    /// <summary>Host threads that host-side preparation (generating synapses) may use.</summary>
    int HostThreads => Environment.ProcessorCount;

    /// <summary>Allocates a zeroed buffer of <paramref name="length"/> elements.</summary>
    DeviceBuffer<T> Allocate<T>(long length) where T : unmanaged;

    /// <summary>Runs <paramref name="kernel"/> for indices 0 .. <paramref name="length"/> − 1.</summary>
    void Launch<TKernel>(int length, in TKernel kernel) where TKernel : struct, IKernel;

    /// <summary>Waits until every launched kernel has finished.</summary>
    void Synchronize();
}
