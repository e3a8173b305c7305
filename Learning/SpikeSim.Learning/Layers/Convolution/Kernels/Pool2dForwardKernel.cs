using ILGPU;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Learning.Layers.Convolution.Kernels;

/// <summary>
/// Pooling over channels-last rows: <c>y[r, (oy·W_out + ox)·C + c]</c> = max, mean or sum of x[r, (iy·W + ix)·C + c]
/// over the window iy ∈ [oy·s, oy·s + k), ix ∈ [ox·s, ox·s + k). One index per output element.
/// </summary>
public readonly struct Pool2dForwardKernel(ArrayView<float> input, ArrayView<float> output, PoolGeometry geometry, PoolKind kind) : IRangeKernel
{
    private readonly ArrayView<float> _x = input, _y = output;
    private readonly PoolGeometry _g = geometry;
    private readonly int _kind = (int)kind;

    /// <inheritdoc />
    public void Execute(int i) => _y[i] = Window(_x, _g, _kind, i);

    /// <inheritdoc />
    public void ExecuteRange(int start, int end)
    {
        for (var i = start; i < end; i++) _y[i] = Window(_x, _g, _kind, i);
    }

    private static float Window(ArrayView<float> x, in PoolGeometry g, int kind, int i)
    {
        int outSize = g.Output.Size, inC = g.Input.Channels, inW = g.Input.Width;
        var r = i / outSize;
        var e = i - r * outSize;
        var c = e % inC;
        var p = e / inC;
        int y0 = p / g.Output.Width * g.Stride, x0 = p % g.Output.Width * g.Stride;
        var row = (long)r * g.Input.Size + c;
        var best = x[row + (y0 * inW + x0) * inC];
        var sum = 0f;
        for (var ky = 0; ky < g.Size; ky++)
            for (var kx = 0; kx < g.Size; kx++)
            {
                var v = x[row + ((y0 + ky) * inW + x0 + kx) * inC];
                sum += v;
                if (v > best) best = v;
            }
        return kind == (int)PoolKind.Max ? best : kind == (int)PoolKind.Average ? sum / (g.Size * g.Size) : sum;
    }
}
