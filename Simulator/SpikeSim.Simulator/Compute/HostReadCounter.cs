namespace SpikeSim.Simulator.Compute;

/// <summary>
/// Counts the reads of device memory by the host on one backend: on a GPU each is a synchronisation, a wait for every
/// kernel launched before it. Counted on every ILGPU backend, the CPU emulator included, so that a test on the emulator
/// sees the reads a real GPU would wait for.
/// </summary>
public sealed class HostReadCounter
{
    private long _reads;

    /// <summary>Reads so far.</summary>
    public long Reads => Interlocked.Read(ref _reads);

    internal void Count() => Interlocked.Increment(ref _reads);
}
