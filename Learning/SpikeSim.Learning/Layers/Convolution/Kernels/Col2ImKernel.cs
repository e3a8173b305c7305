using SpikeSim.Simulator.Convolution.Kernels;
using SpikeSim.Simulator.Convolution;
using ILGPU;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Learning.Layers.Convolution.Kernels;

/// <summary>
/// col2im, the adjoint of <see cref="Im2ColKernel"/>, as a gather (no atomics, the same sums in the same order on every
/// backend): <c>g_x[r₀ + r, (iy·W + ix)·C + c] = Σ_{ky,kx} g_cols[(r·P + p)·K + (ky·kw + kx)·C + c]</c> over the output
/// pixels p = (oy, ox) whose window holds (iy, ix) at (ky, kx), i.e. oy·s_y = iy + p_y − ky, ox·s_x = ix + p_x − kx. One index per input element
/// of the chunk's rows.
/// </summary>
public readonly struct Col2ImKernel(ArrayView<float> columns, ArrayView<float> gradInput, ConvGeometry geometry, int firstRow) : IRangeKernel
{
    private readonly ArrayView<float> _cols = columns, _gx = gradInput;
    private readonly ConvGeometry _g = geometry;
    private readonly int _r0 = firstRow;

    /// <inheritdoc />
    public void Execute(int i) => _gx[(long)_r0 * _g.Input.Size + i] = Sum(_cols, _g, i);

    /// <inheritdoc />
    public void ExecuteRange(int start, int end)
    {
        // Input pixel by input pixel (a cursor, no division per pixel), its channels together, adding the window
        // positions in Execute's order (ky, then kx, ascending).
        Span<float> cols = _cols.AsSpan(), gx = _gx.AsSpan();
        int kh = _g.KernelHeight, kw = _g.KernelWidth, sy = _g.StrideY, sx = _g.StrideX, inC = _g.Input.Channels, columnsPerRow = _g.Columns;
        int outW = _g.Output.Width, pixels = _g.Output.Pixels;
        var offset = _r0 * _g.Input.Size;
        var cursor = PixelCursor.At(start, _g.Input, out var c0);
        var (oyLo, oyHi) = WindowRange.Holding(cursor.Y, kh, sy, _g.PaddingY, _g.Output.Height);
        for (var i = start; i < end;)
        {
            var (r, iy, ix) = (cursor.R, cursor.Y, cursor.X);
            var c1 = Math.Min(inC, c0 + (end - i));
            var dst = gx.Slice(offset + i - c0, inC)[c0..c1];
            dst.Clear();
            var (oxLo, oxHi) = WindowRange.Holding(ix, kw, sx, _g.PaddingX, outW);
            // ky = iy + pad − oy·s falls as oy rises: walk oy downwards so that ky ascends, as in Execute.
            for (var oy = oyHi; oy >= oyLo; oy--)
            {
                var ky = iy + _g.PaddingY - oy * sy;
                for (var ox = oxHi; ox >= oxLo; ox--)
                {
                    var kx = ix + _g.PaddingX - ox * sx;
                    var src = cols.Slice((r * pixels + oy * outW + ox) * columnsPerRow + (ky * kw + kx) * inC, inC);
                    ChannelVectors.Add(dst, src[c0..c1]);
                }
            }
            i += c1 - c0;
            c0 = 0;
            if (cursor.Next(_g.Input)) (oyLo, oyHi) = WindowRange.Holding(cursor.Y, kh, sy, _g.PaddingY, _g.Output.Height);
        }
    }

    private static float Sum(ArrayView<float> cols, in ConvGeometry g, int i)
    {
        int kh = g.KernelHeight, kw = g.KernelWidth, sy = g.StrideY, sx = g.StrideX, inC = g.Input.Channels, size = g.Input.Size, columnsPerRow = g.Columns;
        var r = i / size;
        var e = i - r * size;
        var c = e % inC;
        var pixel = e / inC;
        int iy = pixel / g.Input.Width, ix = pixel % g.Input.Width;
        var sum = 0f;
        for (var ky = 0; ky < kh; ky++)
        {
            var ty = iy + g.PaddingY - ky;
            if (ty < 0 || ty % sy != 0 || ty / sy >= g.Output.Height) continue;
            for (var kx = 0; kx < kw; kx++)
            {
                var tx = ix + g.PaddingX - kx;
                if (tx < 0 || tx % sx != 0 || tx / sx >= g.Output.Width) continue;
                var p = ty / sy * g.Output.Width + tx / sx;
                sum += cols[((long)r * g.Output.Pixels + p) * columnsPerRow + (ky * kw + kx) * inC + c];
            }
        }
        return sum;
    }
}
