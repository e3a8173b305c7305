using ILGPU;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Learning.Layers.Convolution.Kernels;

/// <summary>
/// im2col for rows r₀ … of a channels-last batch: <c>cols[(r·P + p)·K + k] = x[r₀ + r, (iy·W + ix)·C + c]</c> with
/// k = (c·kh + ky)·kw + kx, output pixel p = oy·W_out + ox, iy = oy·s − pad + ky, ix = ox·s − pad + kx, and 0 where
/// (iy, ix) lies in the padding. One index per element of the column matrix.
/// </summary>
public readonly struct Im2ColKernel(ArrayView<float> input, ArrayView<float> columns, ConvGeometry geometry, int firstRow) : IRangeKernel
{
    private readonly ArrayView<float> _x = input, _cols = columns;
    private readonly ConvGeometry _g = geometry;
    private readonly int _r0 = firstRow;

    /// <inheritdoc />
    public void Execute(int i)
    {
        int kk = _g.Kernel, columnsPerRow = _g.Columns, pixels = _g.Output.Pixels;
        var k = i % columnsPerRow;
        var rp = i / columnsPerRow;
        var p = rp % pixels;
        var r = rp / pixels;
        int c = k / (kk * kk), ky = k / kk % kk, kx = k % kk;
        var iy = p / _g.Output.Width * _g.Stride - _g.Padding + ky;
        var ix = p % _g.Output.Width * _g.Stride - _g.Padding + kx;
        _cols[i] = iy >= 0 && iy < _g.Input.Height && ix >= 0 && ix < _g.Input.Width
            ? _x[(long)(_r0 + r) * _g.Input.Size + (iy * _g.Input.Width + ix) * _g.Input.Channels + c]
            : 0f;
    }

    /// <inheritdoc />
    public void ExecuteRange(int start, int end)
    {
        int kk = _g.Kernel, columnsPerRow = _g.Columns, pixels = _g.Output.Pixels, inC = _g.Input.Channels, inW = _g.Input.Width;
        // The offset of column k inside the input window, and its (ky, kx), computed once per range.
        Span<int> offset = columnsPerRow <= 2048 ? stackalloc int[columnsPerRow] : new int[columnsPerRow];
        Span<short> dy = columnsPerRow <= 2048 ? stackalloc short[columnsPerRow] : new short[columnsPerRow];
        Span<short> dx = columnsPerRow <= 2048 ? stackalloc short[columnsPerRow] : new short[columnsPerRow];
        for (var k = 0; k < columnsPerRow; k++)
        {
            int c = k / (kk * kk), ky = k / kk % kk, kx = k % kk;
            (dy[k], dx[k], offset[k]) = ((short)ky, (short)kx, (ky * inW + kx) * inC + c);
        }
        Span<float> x = _x.AsSpan(), cols = _cols.AsSpan();
        for (var i = start; i < end;)
        {
            var rp = i / columnsPerRow;
            var k0 = i - rp * columnsPerRow;
            var k1 = Math.Min(columnsPerRow, k0 + (end - i));
            var p = rp % pixels;
            var r = rp / pixels;
            var y0 = p / _g.Output.Width * _g.Stride - _g.Padding;
            var x0 = p % _g.Output.Width * _g.Stride - _g.Padding;
            var window = (long)(_r0 + r) * _g.Input.Size + (y0 * inW + x0) * inC;
            var inside = y0 >= 0 && x0 >= 0 && y0 + kk <= _g.Input.Height && x0 + kk <= inW;
            var row = cols.Slice(i - k0, columnsPerRow);
            if (inside)
                for (var k = k0; k < k1; k++) row[k] = x[(int)(window + offset[k])];
            else
                for (var k = k0; k < k1; k++)
                {
                    int iy = y0 + dy[k], ix = x0 + dx[k];
                    row[k] = iy >= 0 && iy < _g.Input.Height && ix >= 0 && ix < inW ? x[(int)(window + offset[k])] : 0f;
                }
            i += k1 - k0;
        }
    }
}
