using SpikeSim.Simulator.Convolution;

namespace SpikeSim.Learning.Layers.Convolution.Kernels;

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
