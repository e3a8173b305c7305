using ILGPU;

namespace SpikeSim.Simulator.Compute;

/// <summary>
/// A kernel launched over a fixed grid whose real length lives on the device: index i runs <typeparamref name="TKernel"/>'s
/// <see cref="IKernel.Execute"/> only where i &lt; <c>length[0]</c>. It lets a GPU launch one thread per possible spike without
/// first copying the spike count to the host. The host launcher knows its counts and never needs it; its range method (one
/// thread, as for any scatter kernel, since the inner kernel may write shared locations) exists for completeness.
/// </summary>
public readonly struct BoundedKernel<TKernel>(ArrayView<int> length, TKernel inner) : IScatterKernel where TKernel : struct, IKernel
{
    private readonly ArrayView<int> _length = length;
    private readonly TKernel _inner = inner;

    /// <inheritdoc />
    public void Execute(int index)
    {
        if (index < _length[0]) _inner.Execute(index);
    }

    /// <inheritdoc />
    public void ExecuteRange(int start, int end)
    {
        var length = Math.Min(end, _length.AsSpan()[0]);
        for (var i = start; i < length; i++) _inner.Execute(i);
    }
}
