namespace SpikeSim.Simulator.Compute;

/// <summary>
/// A data-parallel kernel written once for every backend: a <c>readonly struct</c> that holds
/// its <see cref="ILGPU.ArrayView{T}"/>s and scalars and computes one index per call.
/// On a GPU it runs through ILGPU (<see cref="KernelEntry"/>); on the CPU the host launcher
/// calls <see cref="Execute"/> in a tight loop, one chunk of indices per core.
/// </summary>
public interface IKernel
{
    /// <summary>Computes element <paramref name="index"/>; indices are independent of each other.</summary>
    void Execute(int index);
}

/// <summary>
/// A kernel that also offers a host-only method over a contiguous range, usually vectorised.
/// <see cref="ExecuteRange"/> must compute exactly what calling <see cref="IKernel.Execute"/>
/// for every index in the range computes; tests hold every implementation to it.
/// </summary>
public interface IRangeKernel : IKernel
{
    /// <summary>Computes indices <paramref name="start"/> (inclusive) to <paramref name="end"/> (exclusive).</summary>
    void ExecuteRange(int start, int end);
}

/// <summary>
/// A kernel whose indices write to shared locations (spike propagation, stream compaction).
/// <see cref="IKernel.Execute"/> uses atomics and runs on a GPU; on the host the range method
/// runs on one thread with plain stores, which is both faster and deterministic.
/// </summary>
public interface IScatterKernel : IRangeKernel
{
}
