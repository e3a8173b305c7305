using ILGPU;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Simulator.Convolution.Kernels;

/// <summary>
/// Pooling over channels-last rows: <c>y[r, (oy·W_out + ox)·C + c]</c> = max, mean or sum of x[r, (iy·W + ix)·C + c]
/// over the window iy ∈ [oy·s, oy·s + k), ix ∈ [ox·s, ox·s + k). Max pooling also writes where in the window its first
/// maximum lies (ky·k + kx, one byte) for the backward pass. One index per output element.
/// </summary>
public readonly struct Pool2dForwardKernel(ArrayView<float> input, ArrayView<float> output, ArrayView<byte> argmax, PoolGeometry geometry, PoolKind kind)
    : IRangeKernel
{
    private readonly ArrayView<float> _x = input, _y = output;
    private readonly ArrayView<byte> _argmax = argmax;
    private readonly PoolGeometry _g = geometry;
    private readonly int _kind = (int)kind;

    /// <inheritdoc />
    public void Execute(int i)
    {
        int outSize = _g.Output.Size, inC = _g.Input.Channels, inW = _g.Input.Width, k = _g.Size;
        var r = i / outSize;
        var e = i - r * outSize;
        var c = e % inC;
        var p = e / inC;
        int y0 = p / _g.Output.Width * _g.Stride, x0 = p % _g.Output.Width * _g.Stride;
        var window = (long)r * _g.Input.Size + (y0 * inW + x0) * inC + c;
        var best = _x[window];
        var at = 0;
        var sum = 0f;
        for (var ky = 0; ky < k; ky++)
            for (var kx = 0; kx < k; kx++)
            {
                var v = _x[window + (ky * inW + kx) * inC];
                sum += v;
                if (v > best)
                {
                    best = v;
                    at = ky * k + kx;
                }
            }
        if (_kind == (int)PoolKind.Max)
        {
            _y[i] = best;
            _argmax[i] = (byte)at;
        }
        else _y[i] = _kind == (int)PoolKind.Average ? sum / (k * k) : sum;
    }

    /// <inheritdoc />
    public void ExecuteRange(int start, int end)
    {
        // Output pixel by output pixel, its channels together (contiguous in memory), visiting the window in Execute's order.
        Span<float> x = _x.AsSpan(), y = _y.AsSpan();
        var argmax = _kind == (int)PoolKind.Max ? _argmax.AsSpan() : default;
        int outSize = _g.Output.Size, inC = _g.Input.Channels, inW = _g.Input.Width, k = _g.Size;
        Span<int> places = inC <= 1024 ? stackalloc int[inC] : new int[inC];
        for (var i = start; i < end;)
        {
            var r = i / outSize;
            var e = i - r * outSize;
            var p = e / inC;
            var c0 = e - p * inC;
            var n = Math.Min(inC, c0 + (end - i)) - c0;
            int y0 = p / _g.Output.Width * _g.Stride, x0 = (p - p / _g.Output.Width * _g.Output.Width) * _g.Stride;
            var window = r * _g.Input.Size + (y0 * inW + x0) * inC + c0;
            var dst = y.Slice(i, n);
            x.Slice(window, n).CopyTo(dst);
            if (_kind == (int)PoolKind.Max)
            {
                var at = places[..n];
                at.Clear();
                for (var ky = 0; ky < k; ky++)
                    for (var kx = ky == 0 ? 1 : 0; kx < k; kx++)
                        ChannelVectors.Max(dst, at, x.Slice(window + (ky * inW + kx) * inC, n), ky * k + kx);
                var bytes = argmax.Slice(i, n);
                for (var c = 0; c < n; c++) bytes[c] = (byte)at[c];
            }
            else
            {
                // Execute's sum starts from 0 and adds the window in order; 0 + v₀ is v₀ exactly.
                for (var ky = 0; ky < k; ky++)
                    for (var kx = ky == 0 ? 1 : 0; kx < k; kx++)
                        ChannelVectors.Add(dst, x.Slice(window + (ky * inW + kx) * inC, n));
                if (_kind == (int)PoolKind.Average)
                    for (var c = 0; c < n; c++) dst[c] /= k * k;
            }
            i += n;
        }
    }
}
