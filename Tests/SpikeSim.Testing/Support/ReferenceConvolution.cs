namespace SpikeSim.Tests.Support;

/// <summary>
/// Convolution, pooling and flattening in plain double-precision loops over PyTorch's channels-first layout
/// (value (c, y, x) of a sample at c·H·W + y·W + x), written from the definitions and independently of the kernels,
/// which work channels-last. Arrays are [step, sample, value].
/// </summary>
public static class ReferenceConvolution
{
    /// <summary>y[co, oy, ox] = b[co] + Σ W[co, ci, ky, kx]·x[ci, oy·s − p + ky, ox·s − p + kx] (zero outside the image).</summary>
    public static double[,,] Conv(double[,,] x, (int C, int H, int W) shape, double[] weight, double[] bias, int outChannels, int k, int stride, int padding,
        out (int C, int H, int W) outShape)
    {
        int ho = (shape.H + 2 * padding - k) / stride + 1, wo = (shape.W + 2 * padding - k) / stride + 1;
        outShape = (outChannels, ho, wo);
        int T = x.GetLength(0), B = x.GetLength(1);
        var y = new double[T, B, outChannels * ho * wo];
        for (var t = 0; t < T; t++)
        for (var b = 0; b < B; b++)
        for (var co = 0; co < outChannels; co++)
        for (var oy = 0; oy < ho; oy++)
        for (var ox = 0; ox < wo; ox++)
        {
            var sum = bias[co];
            for (var ci = 0; ci < shape.C; ci++)
            for (var ky = 0; ky < k; ky++)
            for (var kx = 0; kx < k; kx++)
            {
                int iy = oy * stride - padding + ky, ix = ox * stride - padding + kx;
                if (iy < 0 || iy >= shape.H || ix < 0 || ix >= shape.W) continue;
                sum += weight[((co * shape.C + ci) * k + ky) * k + kx] * x[t, b, (ci * shape.H + iy) * shape.W + ix];
            }
            y[t, b, (co * ho + oy) * wo + ox] = sum;
        }
        return y;
    }

    /// <summary>Max, mean or sum over k × k windows with stride k ("max", "average", "sum").</summary>
    public static double[,,] Pool(double[,,] x, (int C, int H, int W) shape, string kind, int k, out (int C, int H, int W) outShape)
    {
        int ho = (shape.H - k) / k + 1, wo = (shape.W - k) / k + 1;
        outShape = (shape.C, ho, wo);
        int T = x.GetLength(0), B = x.GetLength(1);
        var y = new double[T, B, shape.C * ho * wo];
        for (var t = 0; t < T; t++)
        for (var b = 0; b < B; b++)
        for (var c = 0; c < shape.C; c++)
        for (var oy = 0; oy < ho; oy++)
        for (var ox = 0; ox < wo; ox++)
        {
            var values = new List<double>();
            for (var ky = 0; ky < k; ky++)
            for (var kx = 0; kx < k; kx++)
                values.Add(x[t, b, (c * shape.H + oy * k + ky) * shape.W + ox * k + kx]);
            y[t, b, (c * ho + oy) * wo + ox] = kind switch { "max" => values.Max(), "average" => values.Average(), _ => values.Sum() };
        }
        return y;
    }

    /// <summary>Channels-first values (c, y, x) reordered channels-last, (y, x, c): the layout the layers take.</summary>
    public static double[,,] ToChannelsLast(double[,,] x, (int C, int H, int W) shape)
    {
        var y = new double[x.GetLength(0), x.GetLength(1), x.GetLength(2)];
        for (var t = 0; t < x.GetLength(0); t++)
        for (var b = 0; b < x.GetLength(1); b++)
        for (var c = 0; c < shape.C; c++)
        for (var p = 0; p < shape.H * shape.W; p++)
            y[t, b, p * shape.C + c] = x[t, b, c * shape.H * shape.W + p];
        return y;
    }

    /// <summary>The identity matrix of <paramref name="n"/>, for a reference LIF layer that takes its currents unchanged.</summary>
    public static double[] Identity(int n)
    {
        var m = new double[n * n];
        for (var i = 0; i < n; i++) m[i * n + i] = 1;
        return m;
    }
}
