using ILGPU;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Learning.Layers.Kernels;

/// <summary>m[r, j] ← factors[j]·m[r, j] on a row-major matrix with <c>columns</c> columns (one index per element).</summary>
public readonly struct ScaleColumnsKernel(ArrayView<float> matrix, ArrayView<float> factors, int columns) : IRangeKernel
{
    private readonly ArrayView<float> _m = matrix, _f = factors;
    private readonly int _columns = columns;

    /// <inheritdoc />
    public void Execute(int i) => _m[i] *= _f[i % _columns];

    /// <inheritdoc />
    public void ExecuteRange(int start, int end)
    {
        Span<float> m = _m.AsSpan(), f = _f.AsSpan();
        for (var i = start; i < end; i++) m[i] *= f[i % _columns];
    }
}
