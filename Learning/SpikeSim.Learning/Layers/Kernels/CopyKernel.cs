using ILGPU;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Learning.Layers.Kernels;

/// <summary><c>y[i] = x[i]</c>: a layer's kept output copied back where the backward pass needs it.</summary>
public readonly struct CopyKernel(ArrayView<float> input, ArrayView<float> output) : IRangeKernel
{
    private readonly ArrayView<float> _x = input, _y = output;

    /// <inheritdoc />
    public void Execute(int i) => _y[i] = _x[i];

    /// <inheritdoc />
    public void ExecuteRange(int start, int end) => _x.AsSpan()[start..end].CopyTo(_y.AsSpan()[start..end]);
}
