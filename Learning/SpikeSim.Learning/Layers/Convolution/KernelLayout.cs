namespace SpikeSim.Learning.Layers.Convolution;

/// <summary>Convolution kernels between SpikeSim's channels-last [C_out, k, k, C_in] and PyTorch's and NIR's [C_out, C_in, k, k].</summary>
public static class KernelLayout
{
    /// <summary>[C_out, k, k, C_in] → [C_out, C_in, k, k].</summary>
    public static T[] ToOihw<T>(ReadOnlySpan<T> ohwi, int outChannels, int inChannels, int kernel)
    {
        Check(ohwi.Length, outChannels, inChannels, kernel);
        var oihw = new T[ohwi.Length];
        for (var o = 0; o < outChannels; o++)
        for (var y = 0; y < kernel; y++)
        for (var x = 0; x < kernel; x++)
        for (var i = 0; i < inChannels; i++)
            oihw[((o * inChannels + i) * kernel + y) * kernel + x] = ohwi[((o * kernel + y) * kernel + x) * inChannels + i];
        return oihw;
    }

    /// <summary>[C_out, C_in, k, k] → [C_out, k, k, C_in].</summary>
    public static T[] FromOihw<T>(ReadOnlySpan<T> oihw, int outChannels, int inChannels, int kernel)
    {
        Check(oihw.Length, outChannels, inChannels, kernel);
        var ohwi = new T[oihw.Length];
        for (var o = 0; o < outChannels; o++)
        for (var y = 0; y < kernel; y++)
        for (var x = 0; x < kernel; x++)
        for (var i = 0; i < inChannels; i++)
            ohwi[((o * kernel + y) * kernel + x) * inChannels + i] = oihw[((o * inChannels + i) * kernel + y) * kernel + x];
        return ohwi;
    }

    private static void Check(int length, int outChannels, int inChannels, int kernel)
    {
        if ((long)outChannels * inChannels * kernel * kernel != length)
            throw new ArgumentException($"A {outChannels}×{inChannels}×{kernel}×{kernel} kernel has {(long)outChannels * inChannels * kernel * kernel} values, not {length}.");
    }
}
