using ILGPU;
namespace SpikeSim.Simulator.Compute;

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
        // The ragged first row element by element, then one whole row, then the filled part copied onto what follows it,
        // doubling each time (the pattern repeats every row, and the filled part is whole rows).
        var i = start;
        for (; i < end && i % _columns != 0; i++) m[i] = row[i % _columns];
        if (i >= end) return;
        var target = m[i..end];
        var filled = Math.Min(_columns, target.Length);
        row[..filled].CopyTo(target);
        while (filled < target.Length)
        {
            var n = Math.Min(filled, target.Length - filled);
            target[..n].CopyTo(target[filled..]);
            filled += n;
        }
    }
}
