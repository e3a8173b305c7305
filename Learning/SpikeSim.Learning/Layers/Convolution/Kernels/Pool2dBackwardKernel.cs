using ILGPU;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Learning.Layers.Convolution.Kernels;

/// <summary>
/// The adjoint of <see cref="Pool2dForwardKernel"/> as a gather over input elements (no atomics; overlapping windows
/// add up): each window that holds the element passes its output gradient back — all of it where the element is the
/// window's (first) maximum, 1/k² of it for the mean, all of it for the sum. Max pooling finds the maximum again from
/// the input. One index per input element.
/// </summary>
public readonly struct Pool2dBackwardKernel(ArrayView<float> input, ArrayView<float> gradOutput, ArrayView<float> gradInput, PoolGeometry geometry, PoolKind kind)
    : IRangeKernel
{
    private readonly ArrayView<float> _x = input, _gy = gradOutput, _gx = gradInput;
    private readonly PoolGeometry _g = geometry;
    private readonly int _kind = (int)kind;

    /// <inheritdoc />
    public void Execute(int i) => _gx[i] = Gradient(_x, _gy, _g, _kind, i);

    /// <inheritdoc />
    public void ExecuteRange(int start, int end)
    {
        for (var i = start; i < end; i++) _gx[i] = Gradient(_x, _gy, _g, _kind, i);
    }

    private static float Gradient(ArrayView<float> x, ArrayView<float> gy, in PoolGeometry g, int kind, int i)
    {
        int inSize = g.Input.Size, inC = g.Input.Channels, inW = g.Input.Width, k = g.Size, s = g.Stride;
        var r = i / inSize;
        var e = i - r * inSize;
        var c = e % inC;
        var pixel = e / inC;
        int iy = pixel / inW, ix = pixel % inW;
        var row = (long)r * inSize + c;
        var outRow = (long)r * g.Output.Size + c;
        // Windows oy with oy·s ≤ iy < oy·s + k.
        int oyLo = iy - k + 1 <= 0 ? 0 : (iy - k + s) / s, oyHi = Math.Min(iy / s, g.Output.Height - 1);
        int oxLo = ix - k + 1 <= 0 ? 0 : (ix - k + s) / s, oxHi = Math.Min(ix / s, g.Output.Width - 1);
        var sum = 0f;
        for (var oy = oyLo; oy <= oyHi; oy++)
            for (var ox = oxLo; ox <= oxHi; ox++)
            {
                var grad = gy[outRow + (oy * g.Output.Width + ox) * inC];
                if (kind == (int)PoolKind.Sum) sum += grad;
                else if (kind == (int)PoolKind.Average) sum += grad / (k * k);
                else
                {
                    // The first maximum of the window, in row-major order.
                    int y0 = oy * s, x0 = ox * s, bestY = y0, bestX = x0;
                    var best = x[row + (y0 * inW + x0) * inC];
                    for (var ky = 0; ky < k; ky++)
                        for (var kx = 0; kx < k; kx++)
                        {
                            var v = x[row + ((y0 + ky) * inW + x0 + kx) * inC];
                            if (v > best)
                            {
                                best = v;
                                bestY = y0 + ky;
                                bestX = x0 + kx;
                            }
                        }
                    if (bestY == iy && bestX == ix) sum += grad;
                }
            }
        return sum;
    }
}
