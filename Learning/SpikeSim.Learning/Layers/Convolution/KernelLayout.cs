namespace SpikeSim.Learning.Layers.Convolution;

/// <summary>
/// Convolution kernels between SpikeSim's channels-last [C_out, kh, kw, C_in] and PyTorch's and NIR's
/// [C_out, C_in, kh, kw] (a square k × k kernel, or a NIR Conv1d's [C_out, C_in, k] as 1 × k).
/// </summary>
public static class KernelLayout
{
    /// <summary>[C_out, k, k, C_in] → [C_out, C_in, k, k].</summary>
    public static T[] ToOihw<T>(ReadOnlySpan<T> ohwi, int outChannels, int inChannels, int kernel)
        => ToOihw(ohwi, outChannels, inChannels, kernel, kernel);

    /// <summary>[C_out, kh, kw, C_in] → [C_out, C_in, kh, kw].</summary>
    public static T[] ToOihw<T>(ReadOnlySpan<T> ohwi, int outChannels, int inChannels, int kernelHeight, int kernelWidth)
    {
        Check(ohwi.Length, outChannels, inChannels, kernelHeight, kernelWidth);
        var oihw = new T[ohwi.Length];
        for (var o = 0; o < outChannels; o++)
        for (var y = 0; y < kernelHeight; y++)
        for (var x = 0; x < kernelWidth; x++)
        for (var i = 0; i < inChannels; i++)
            oihw[((o * inChannels + i) * kernelHeight + y) * kernelWidth + x] = ohwi[((o * kernelHeight + y) * kernelWidth + x) * inChannels + i];
        return oihw;
    }

    /// <summary>[C_out, C_in, k, k] → [C_out, k, k, C_in].</summary>
    public static T[] FromOihw<T>(ReadOnlySpan<T> oihw, int outChannels, int inChannels, int kernel)
        => FromOihw(oihw, outChannels, inChannels, kernel, kernel);

    /// <summary>[C_out, C_in, kh, kw] → [C_out, kh, kw, C_in].</summary>
    public static T[] FromOihw<T>(ReadOnlySpan<T> oihw, int outChannels, int inChannels, int kernelHeight, int kernelWidth)
    {
        Check(oihw.Length, outChannels, inChannels, kernelHeight, kernelWidth);
        var ohwi = new T[oihw.Length];
        for (var o = 0; o < outChannels; o++)
        for (var y = 0; y < kernelHeight; y++)
        for (var x = 0; x < kernelWidth; x++)
        for (var i = 0; i < inChannels; i++)
            ohwi[((o * kernelHeight + y) * kernelWidth + x) * inChannels + i] = oihw[((o * inChannels + i) * kernelHeight + y) * kernelWidth + x];
        return ohwi;
    }

    private static void Check(int length, int outChannels, int inChannels, int kernelHeight, int kernelWidth)
    {
        if ((long)outChannels * inChannels * kernelHeight * kernelWidth != length)
            throw new ArgumentException($"A [{outChannels}, {inChannels}, {kernelHeight}, {kernelWidth}] kernel has {(long)outChannels * inChannels * kernelHeight * kernelWidth} values, not {length}.");
    }
}
