using System.Diagnostics.Tracing;

namespace SpikeSim.Tests.Support;

/// <summary>
/// Counts the objects of one type that the runtime's finalizer thread finalizes while the counter listens, from the
/// runtime's own <c>GC/FinalizeObject</c> event (keyword GC, level Verbose; its first field is the object's type
/// handle). Objects that code disposes are not finalized, so a count above zero means some were left to the garbage
/// collector — for TorchSharp's <c>Scalar</c> a use-after-free waiting to happen (see <c>HeldScalars</c>).
/// Not timing-dependent: <see cref="Finalized"/> collects and waits for every pending finalizer, then drops a sentinel
/// object and waits until its own event arrives. The finalizer thread writes its events in the order it runs them, and
/// the sentinel is finalized only after all the others have run, so by then every earlier finalization is counted.
/// </summary>
public sealed class FinalizationCounter : EventListener
{
    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private static readonly nint SentinelType = typeof(Sentinel).TypeHandle.Value;
    private readonly nint _type;
    private int _count, _sentinels;

    /// <summary>Collects and finalizes everything pending, then starts counting finalizations of <paramref name="type"/>.</summary>
    public FinalizationCounter(Type type)
    {
        _type = type.TypeHandle.Value;
        Drain();
        Interlocked.Exchange(ref _count, 0);
    }

    /// <summary>How many objects of the type were finalized since the counter started, after collecting and finalizing now.</summary>
    public int Finalized()
    {
        Drain();
        return Volatile.Read(ref _count);
    }

    private void Drain()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = Volatile.Read(ref _sentinels);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Volatile.Read(ref _sentinels) == before)
        {
            // A fresh sentinel each round, in case the listener's session was not yet delivering when the last one went.
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The runtime's FinalizeObject event never arrived; the counter cannot count.");
            Drop();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Thread.Sleep(20);
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void Drop() => _ = new Sentinel();

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == RuntimeSource) EnableEvents(source, EventLevel.Verbose, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName != "FinalizeObject" || e.Payload is not { Count: > 0 } payload) return;
        var type = payload[0] switch { nint p => p, ulong u => (nint)u, _ => 0 };
        if (type == _type) Interlocked.Increment(ref _count);
        else if (type == SentinelType) Interlocked.Increment(ref _sentinels);
    }

    private sealed class Sentinel
    {
        ~Sentinel() { }
    }
}
