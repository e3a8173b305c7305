using SpikeSim.Simulator.Compute;

namespace SpikeSim.Tests.Support;

/// <summary>A backend decorator that notes every kernel type launched, so tests can prove they covered them all.</summary>
public sealed class RecordingBackend(IComputeBackend inner) : IComputeBackend
{
    public HashSet<Type> Launched { get; } = [];

    public DeviceKind Kind => inner.Kind;
    public string Description => inner.Description;
    public bool IsHostMemory => inner.IsHostMemory;
    public bool OrderedScatter => inner.OrderedScatter;
    public DeviceBuffer<T> Allocate<T>(long length) where T : unmanaged => inner.Allocate<T>(length);

    public void Launch<TKernel>(int length, in TKernel kernel) where TKernel : struct, IKernel
    {
        Note(typeof(TKernel));
        inner.Launch(length, kernel);
    }

    public void Synchronize() => inner.Synchronize();

    // A kernel wrapping another (BoundedKernel<T>) launches both.
    private void Note(Type kernel)
    {
        Launched.Add(kernel.IsGenericType ? kernel.GetGenericTypeDefinition() : kernel);
        if (!kernel.IsGenericType) return;
        foreach (var argument in kernel.GetGenericArguments().Where(typeof(IKernel).IsAssignableFrom)) Note(argument);
    }
    public void Dispose() => inner.Dispose();
}
