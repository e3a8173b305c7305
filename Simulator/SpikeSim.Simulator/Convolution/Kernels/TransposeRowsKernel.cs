using ILGPU;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Simulator.Convolution.Kernels;

/// <summary>
/// Transposes each row of a batch, read as an a × b matrix: <c>y[r, j·a + i] = x[r, i·b + j]</c>. With a = pixels and
/// b = channels it turns channels-last into channels-first (a flatten: Learning's <c>Flatten</c>, the simulator's <see cref="Networks.SpikeFeed.Flatten"/>); with a and b swapped it is its own
/// adjoint. One index per output element.
/// </summary>
public readonly struct TransposeRowsKernel(ArrayView<float> input, ArrayView<float> output, int a, int b) : IRangeKernel
{
    private readonly ArrayView<float> _x = input, _y = output;
    private readonly int _a = a, _b = b;

    /// <inheritdoc />
    public void Execute(int e)
    {
        var size = _a * _b;
        var r = e / size;
        var o = e - r * size;
        int j = o / _a, i = o % _a;
        _y[e] = _x[(long)r * size + i * _b + j];
    }

    /// <inheritdoc />
    public void ExecuteRange(int start, int end)
    {
        Span<float> x = _x.AsSpan(), y = _y.AsSpan();
        var size = _a * _b;
        for (var e = start; e < end;)
        {
            // The rest of output row j·a … of sample r, read with stride b.
            var r = e / size;
            var o = e - r * size;
            int j = o / _a, i0 = o - o / _a * _a;
            var n = Math.Min(_a - i0, end - e);
            var src = x.Slice(r * size + j);
            var dst = y.Slice(e, n);
            for (var i = 0; i < n; i++) dst[i] = src[(i0 + i) * _b];
            e += n;
        }
    }
}
