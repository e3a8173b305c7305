using ILGPU;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Simulator.Convolution.Kernels;

/// <summary>
/// im2col for rows r₀ … of a channels-last batch: <c>cols[(r·P + p)·K + k] = x[r₀ + r, (iy·W + ix)·C + c]</c> with
/// k = (ky·kw + kx)·C + c (the kernel's channels-last order, Learning's <c>Conv2d</c>), output pixel p = oy·W_out + ox,
/// iy = oy·s_y − p_y + ky, ix = ox·s_x − p_x + kx, and 0 where (iy, ix) lies in the padding — so each kernel row ky is
/// one contiguous run of kw·C input values. One index per element of the column matrix.
/// </summary>
public readonly struct Im2ColKernel(ArrayView<float> input, ArrayView<float> columns, ConvGeometry geometry, int firstRow) : IRangeKernel
{
    private readonly ArrayView<float> _x = input, _cols = columns;
    private readonly ConvGeometry _g = geometry;
    private readonly int _r0 = firstRow;

    /// <inheritdoc />
    public void Execute(int i)
    {
        int kw = _g.KernelWidth, columnsPerRow = _g.Columns, pixels = _g.Output.Pixels;
        var k = i % columnsPerRow;
        var rp = i / columnsPerRow;
        var p = rp % pixels;
        var r = rp / pixels;
        var inC = _g.Input.Channels;
        int c = k % inC, kx = k / inC % kw, ky = k / inC / kw;
        var iy = p / _g.Output.Width * _g.StrideY - _g.PaddingY + ky;
        var ix = p % _g.Output.Width * _g.StrideX - _g.PaddingX + kx;
        _cols[i] = iy >= 0 && iy < _g.Input.Height && ix >= 0 && ix < _g.Input.Width
            ? _x[(long)(_r0 + r) * _g.Input.Size + (iy * _g.Input.Width + ix) * _g.Input.Channels + c]
            : 0f;
    }

    /// <inheritdoc />
    public void ExecuteRange(int start, int end)
    {
        int kh = _g.KernelHeight, kw = _g.KernelWidth, columnsPerRow = _g.Columns, pixels = _g.Output.Pixels, inC = _g.Input.Channels, inW = _g.Input.Width, inH = _g.Input.Height;
        int outW = _g.Output.Width, strideY = _g.StrideY, strideX = _g.StrideX;
        var run = kw * inC;
        Span<float> x = _x.AsSpan(), cols = _cols.AsSpan();
        // A cursor over (row, output pixel): no division per column-matrix row.
        var rp = start / columnsPerRow;
        var k0 = start - rp * columnsPerRow;
        var p = rp % pixels;
        var r = rp / pixels;
        int oy = p / outW, ox = p - p / outW * outW;
        for (var i = start; i < end;)
        {
            var k1 = Math.Min(columnsPerRow, k0 + (end - i));
            var y0 = oy * strideY - _g.PaddingY;
            var x0 = ox * strideX - _g.PaddingX;
            var image = (_r0 + r) * _g.Input.Size;
            var row = cols.Slice(i - k0, columnsPerRow);
            if (k0 == 0 && k1 == columnsPerRow && x0 >= 0 && x0 + kw <= inW)
            {
                // Whole rows of the window: one copy of kw·C values per kernel row (zeros above and below the image).
                for (var ky = 0; ky < kh; ky++)
                {
                    var iy = y0 + ky;
                    var dst = row.Slice(ky * run, run);
                    if (iy < 0 || iy >= inH) dst.Clear();
                    else if (run >= 16) x.Slice(image + (iy * inW + x0) * inC, run).CopyTo(dst);
                    else
                    {
                        // Short runs (one channel, a small kernel) copy faster by hand than through memmove.
                        var src = x.Slice(image + (iy * inW + x0) * inC, run);
                        for (var j = 0; j < run; j++) dst[j] = src[j];
                    }
                }
            }
            else
                for (var k = k0; k < k1; k++)
                {
                    int c = k % inC, kx = k / inC % kw, ky = k / inC / kw;
                    int iy = y0 + ky, ix = x0 + kx;
                    row[k] = iy >= 0 && iy < inH && ix >= 0 && ix < inW ? x[image + (iy * inW + ix) * inC + c] : 0f;
                }
            i += k1 - k0;
            k0 = 0;
            if (++ox == outW)
            {
                ox = 0;
                if (++oy == _g.Output.Height)
                {
                    oy = 0;
                    r++;
                }
            }
        }
    }
}
