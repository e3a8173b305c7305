using SpikeSim.Simulator.Convolution.Kernels;
using SpikeSim.Simulator.Convolution;
using ILGPU;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Learning.Layers.Convolution.Kernels;

/// <summary>
/// The adjoint of <see cref="Pool2dForwardKernel"/> as a gather over input elements (no atomics; overlapping windows
/// add up): each window that holds the element passes its output gradient back — all of it where the element is the
/// window's first maximum (as the forward pass recorded it), 1/k² of it for the mean, all of it for the sum.
/// One index per input element.
/// </summary>
public readonly struct Pool2dBackwardKernel(ArrayView<byte> argmax, ArrayView<float> gradOutput, ArrayView<float> gradInput, PoolGeometry geometry, PoolKind kind)
    : IRangeKernel
{
    private readonly ArrayView<byte> _argmax = argmax;
    private readonly ArrayView<float> _gy = gradOutput, _gx = gradInput;
    private readonly PoolGeometry _g = geometry;
    private readonly int _kind = (int)kind;

    /// <inheritdoc />
    public void Execute(int i)
    {
        int inSize = _g.Input.Size, inC = _g.Input.Channels, inW = _g.Input.Width, k = _g.Size, s = _g.Stride;
        var r = i / inSize;
        var e = i - r * inSize;
        var c = e % inC;
        var pixel = e / inC;
        int iy = pixel / inW, ix = pixel % inW;
        var outRow = (long)r * _g.Output.Size + c;
        // Windows oy with oy·s ≤ iy < oy·s + k.
        int oyLo = iy - k + 1 <= 0 ? 0 : (iy - k + s) / s, oyHi = Math.Min(iy / s, _g.Output.Height - 1);
        int oxLo = ix - k + 1 <= 0 ? 0 : (ix - k + s) / s, oxHi = Math.Min(ix / s, _g.Output.Width - 1);
        var sum = 0f;
        for (var oy = oyLo; oy <= oyHi; oy++)
            for (var ox = oxLo; ox <= oxHi; ox++)
            {
                var o = outRow + (oy * _g.Output.Width + ox) * inC;
                if (_kind == (int)PoolKind.Sum) sum += _gy[o];
                else if (_kind == (int)PoolKind.Average) sum += _gy[o] / (k * k);
                else if (_argmax[o] == (iy - oy * s) * k + (ix - ox * s)) sum += _gy[o];
            }
        _gx[i] = sum;
    }

    /// <inheritdoc />
    public void ExecuteRange(int start, int end)
    {
        // Pixel by pixel (a cursor, no division per pixel), its channels together: the windows are found once per pixel,
        // the sums run in Execute's order.
        Span<float> gy = _gy.AsSpan(), gx = _gx.AsSpan();
        var argmax = _kind == (int)PoolKind.Max ? _argmax.AsSpan() : default;
        int inC = _g.Input.Channels, k = _g.Size, s = _g.Stride;
        int outW = _g.Output.Width, outSize = _g.Output.Size;
        var cursor = PixelCursor.At(start, _g.Input, out var c0);
        var (oyLo, oyHi) = WindowRange.Holding(cursor.Y, k, s, 0, _g.Output.Height);
        for (var i = start; i < end;)
        {
            var (r, iy, ix) = (cursor.R, cursor.Y, cursor.X);
            var c1 = Math.Min(inC, c0 + (end - i));
            var dst = gx.Slice(i - c0, inC)[c0..c1];
            dst.Clear();
            var (oxLo, oxHi) = WindowRange.Holding(ix, k, s, 0, outW);
            for (var oy = oyLo; oy <= oyHi; oy++)
                for (var ox = oxLo; ox <= oxHi; ox++)
                {
                    var o = r * outSize + (oy * outW + ox) * inC;
                    var grad = gy.Slice(o, inC)[c0..c1];
                    if (_kind == (int)PoolKind.Sum) ChannelVectors.Add(dst, grad);
                    else if (_kind == (int)PoolKind.Average)
                        for (var c = 0; c < grad.Length; c++) dst[c] += grad[c] / (k * k);
                    else
                    {
                        var self = (byte)((iy - oy * s) * k + (ix - ox * s));
                        var at = argmax.Slice(o, inC)[c0..c1];
                        for (var c = 0; c < grad.Length; c++)
                            if (at[c] == self) dst[c] += grad[c];
                    }
                }
            i += c1 - c0;
            c0 = 0;
            if (cursor.Next(_g.Input)) (oyLo, oyHi) = WindowRange.Holding(cursor.Y, k, s, 0, _g.Output.Height);
        }
    }
}
