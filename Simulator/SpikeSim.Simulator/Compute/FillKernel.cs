using ILGPU;

namespace SpikeSim.Simulator.Compute;

/// <summary>Sets every element of a view to one value.</summary>
public readonly struct FillKernel<T>(ArrayView<T> target, T value) : IRangeKernel where T : unmanaged
{
    private readonly ArrayView<T> _target = target;
    private readonly T _value = value;

    /// <inheritdoc />
    public void Execute(int index) => _target[index] = _value;

    /// <inheritdoc />
    public void ExecuteRange(int start, int end) => _target.AsSpan()[start..end].Fill(_value);
}
