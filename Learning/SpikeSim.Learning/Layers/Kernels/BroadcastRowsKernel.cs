using ILGPU;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Learning.Layers.Kernels;

/// <summary><c>m[i] = row[i mod columns]</c>: every row of a row-major matrix set to one vector (a bias, before a GEMM adds to it).</summary>
public readonly struct BroadcastRowsKernel(ArrayView<float> matrix, ArrayView<float> row, int columns) : IRangeKernel
{
    private readonly ArrayView<float> _m = matrix, _row = row;
    private readonly int _columns = columns;

    /// <inheritdoc />
    public void Execute(int i) => _m[i] = _row[i % _columns];

    /// <inheritdoc />
    public void ExecuteRange(int start, int end)
    {
        Span<float> m = _m.AsSpan(), row = _row.AsSpan();
        for (var i = start; i < end; i++) m[i] = row[i % _columns];
    }
}
