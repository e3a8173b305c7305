using ILGPU;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Learning.Layers.Kernels;

/// <summary>
/// sums[n] = Σ_r G[r, n] over the rows of a row-major rows×columns matrix (the bias gradient),
/// one index per column. The host range method adds whole rows, which streams memory in order.
/// </summary>
public readonly struct ColumnSumKernel(ArrayView<float> matrix, ArrayView<float> sums, int rows, int columns) : IRangeKernel
{
    private readonly ArrayView<float> _matrix = matrix, _sums = sums;
    private readonly int _rows = rows, _columns = columns;

    /// <inheritdoc />
    public void Execute(int n)
    {
        var sum = 0f;
        for (var r = 0; r < _rows; r++) sum += _matrix[(long)r * _columns + n];
        _sums[n] = sum;
    }

    /// <inheritdoc />
    public void ExecuteRange(int start, int end)
    {
        var sums = _sums.AsSpan()[start..end];
        var matrix = _matrix.AsSpan();
        sums.Clear();
        for (var r = 0; r < _rows; r++)
        {
            var row = matrix.Slice(r * _columns + start, end - start);
            for (var n = 0; n < row.Length; n++) sums[n] += row[n];
        }
    }
}
