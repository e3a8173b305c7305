using System.Numerics;
using System.Runtime.InteropServices;

namespace SpikeSim.Simulator.Convolution.Kernels;

/// <summary>Host-side element-wise loops over the channels of one pixel, in SIMD vectors with a scalar tail.</summary>
public static class ChannelVectors
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
