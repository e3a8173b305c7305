using ILGPU;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Learning.Layers.Convolution.Kernels;

/// <summary>
/// col2im, the adjoint of <see cref="Im2ColKernel"/>, as a gather (no atomics, the same sums in the same order on every
/// backend): <c>g_x[r₀ + r, (iy·W + ix)·C + c] = Σ_{ky,kx} g_cols[(r·P + p)·K + (c·kh + ky)·kw + kx]</c> over the output
/// pixels p = (oy, ox) whose window holds (iy, ix) at (ky, kx), i.e. oy·s = iy + pad − ky. One index per input element
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
        var offset = _r0 * _g.Input.Size;
        for (var i = start; i < end; i++) _gx[offset + i] = Sum(_cols, _g, i);
    }

    private static float Sum(ArrayView<float> cols, in ConvGeometry g, int i)
    {
        int kk = g.Kernel, s = g.Stride, inC = g.Input.Channels, size = g.Input.Size, columnsPerRow = g.Columns;
        var r = i / size;
        var e = i - r * size;
        var c = e % inC;
        var pixel = e / inC;
        int iy = pixel / g.Input.Width, ix = pixel % g.Input.Width;
        var sum = 0f;
        for (var ky = 0; ky < kk; ky++)
        {
            var ty = iy + g.Padding - ky;
            if (ty < 0 || ty % s != 0 || ty / s >= g.Output.Height) continue;
            for (var kx = 0; kx < kk; kx++)
            {
                var tx = ix + g.Padding - kx;
                if (tx < 0 || tx % s != 0 || tx / s >= g.Output.Width) continue;
                var p = ty / s * g.Output.Width + tx / s;
                sum += cols[((long)r * g.Output.Pixels + p) * columnsPerRow + (c * kk + ky) * kk + kx];
            }
        }
        return sum;
    }
}
