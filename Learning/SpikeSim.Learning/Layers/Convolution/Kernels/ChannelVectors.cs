using System.Numerics;
using System.Runtime.InteropServices;

namespace SpikeSim.Learning.Layers.Convolution.Kernels;

/// <summary>Host-side element-wise loops over the channels of one pixel, in SIMD vectors with a scalar tail.</summary>
internal static class ChannelVectors
{
    /// <summary>dst[c] += src[c].</summary>
    public static void Add(Span<float> dst, ReadOnlySpan<float> src)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && dst.Length >= Vector<float>.Count)
        {
            var d = MemoryMarshal.Cast<float, Vector<float>>(dst);
            var s = MemoryMarshal.Cast<float, Vector<float>>(src[..dst.Length]);
            for (var v = 0; v < d.Length; v++) d[v] += s[v];
            i = d.Length * Vector<float>.Count;
        }
        for (; i < dst.Length; i++) dst[i] += src[i];
    }

    /// <summary>
    /// Max pooling's step: where v[c] &gt; best[c], best[c] ← v[c] and at[c] ← place (ints, one per channel).
    /// </summary>
    public static void Max(Span<float> best, Span<int> at, ReadOnlySpan<float> v, int place)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && best.Length >= Vector<float>.Count)
        {
            var b = MemoryMarshal.Cast<float, Vector<float>>(best);
            var a = MemoryMarshal.Cast<int, Vector<int>>(at[..best.Length]);
            var x = MemoryMarshal.Cast<float, Vector<float>>(v[..best.Length]);
            var p = new Vector<int>(place);
            for (var k = 0; k < b.Length; k++)
            {
                var greater = Vector.GreaterThan(x[k], b[k]);
                b[k] = Vector.ConditionalSelect(greater, x[k], b[k]);
                a[k] = Vector.ConditionalSelect(greater, p, a[k]);
            }
            i = b.Length * Vector<float>.Count;
        }
        for (; i < best.Length; i++)
            if (v[i] > best[i])
            {
                best[i] = v[i];
                at[i] = place;
            }
    }
}

/// <summary>
/// Which windows of a sliding window (size k, stride s, padding pad, <c>count</c> windows) hold position i: o with
/// o·s − pad ≤ i &lt; o·s − pad + k, as the inclusive range [Lo, Hi] (empty where Lo &gt; Hi). No division for stride 1.
/// </summary>
internal static class WindowRange
{
    public static (int Lo, int Hi) Holding(int i, int k, int s, int pad, int count)
    {
        var t = i + pad;
        if (s == 1) return (Math.Max(0, t - k + 1), Math.Min(t, count - 1));
        return (t - k + 1 <= 0 ? 0 : (t - k + s) / s, Math.Min(t / s, count - 1));
    }
}

/// <summary>
/// A cursor over the pixels of a channels-last batch (sample r, row y, column x), for host loops that visit an image
/// pixel by pixel without a division per pixel.
/// </summary>
internal struct PixelCursor
{
    public int R, Y, X;

    /// <summary>The pixel that holds element <paramref name="element"/>, and the element's channel.</summary>
    public static PixelCursor At(int element, ImageShape shape, out int channel)
    {
        var r = element / shape.Size;
        var e = element - r * shape.Size;
        var pixel = e / shape.Channels;
        channel = e - pixel * shape.Channels;
        return new PixelCursor { R = r, Y = pixel / shape.Width, X = pixel - pixel / shape.Width * shape.Width };
    }

    /// <summary>Moves to the next pixel; true where it starts a new image row.</summary>
    public bool Next(ImageShape shape)
    {
        if (++X < shape.Width) return false;
        X = 0;
        if (++Y == shape.Height)
        {
            Y = 0;
            R++;
        }
        return true;
    }
}
