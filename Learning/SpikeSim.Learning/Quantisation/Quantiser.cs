namespace SpikeSim.Learning.Quantisation;

/// <summary>
/// Maps one trained layer (weights [out, in], bias, threshold θ, decay β) onto a target's number formats.
/// Each layer gets one scale F (state units per float unit) chosen so that its largest weight fills the
/// 8-bit range; weights, bias and threshold are rounded at that scale, so spiking is preserved up to
/// rounding; the decay is rounded to the target's own form.
/// </summary>
public static class Quantiser
{
    /// <summary>Quantises one layer; <paramref name="threshold"/> is null for a non-spiking readout.</summary>
    public static QuantisedLayer Quantise(QuantisationTarget target, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, float? threshold, float beta)
    {
        var maxW = 0f;
        foreach (var w in weight) maxW = Math.Max(maxW, Math.Abs(w));
        if (maxW == 0) maxW = 1;
        return target switch
        {
            QuantisationTarget.Int8 => Int8(weight, bias, threshold, beta, 127 / maxW),
            QuantisationTarget.Loihi2 => Loihi2(weight, bias, threshold, beta, maxW),
            _ => Xylo(weight, bias, threshold, beta, maxW),
        };
    }

    // w = round(w·F) in [−127, 127]; bias and threshold as 32-bit integers at the same scale; β stays float.
    private static QuantisedLayer Int8(ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, float? threshold, float beta, double f)
    {
        var wi = Round(weight, f, 127);
        var bi = Round(bias, f, int.MaxValue);
        var ti = threshold is { } t ? (int)Math.Round(t * f) : 0;
        return new(wi, 0, bi, 0, ti, 0, f, Scale(wi, 1 / f), Scale(bi, 1 / f), (float)(ti / f), beta);
    }

    // Weight mantissa m in [−127, 127] with exponent 0, one state unit per 2^−6 of weight: w ≈ m·2^6 / F with
    // F = 127·2^6 / max|w|. Threshold mantissa (17 bits) shifted by 6; bias mantissa (13 bits, ±4095) with the
    // smallest exponent that fits; dv = round(4096·(1 − β)) (12 bits) so β' = 1 − dv/4096.
    private static QuantisedLayer Loihi2(ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, float? threshold, float beta, float maxW)
    {
        const int shift = 64;
        var f = 127.0 * shift / maxW;
        var wi = Round(weight, f / shift, 127);
        var maxB = 0.0;
        foreach (var b in bias) maxB = Math.Max(maxB, Math.Abs(b * f));
        var exponent = 0;
        while (maxB / (1 << exponent) > 4095 && exponent < 7) exponent++;
        var bi = Round(bias, f / (1 << exponent), 4095);
        var ti = threshold is { } t ? Math.Clamp((int)Math.Round(t * f / shift), 0, (1 << 17) - 1) : 0;
        var dv = Math.Clamp((int)Math.Round(4096 * (1 - beta)), 0, 4095);
        return new(wi, 0, bi, exponent, ti, dv, f, Scale(wi, shift / f), Scale(bi, (1 << exponent) / f), (float)(ti * shift / f), 1 - dv / 4096f);
    }

    // 8-bit weights with a weight shift s: w ≈ w_int·2^s / F. The shift is the largest that keeps the integer
    // threshold inside the 16-bit state (θ·F < 2^15), which gives the threshold the finest resolution.
    // dash = round(log2(1/(1 − β))) ≤ 15, so β' = 1 − 2^−dash. Biases as 16-bit integers at the same scale.
    private static QuantisedLayer Xylo(ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, float? threshold, float beta, float maxW)
    {
        var shift = 0;
        while (threshold is { } th && shift < 8 && th * 127.0 * (1 << (shift + 1)) / maxW < 32767) shift++;
        var f = 127.0 * (1 << shift) / maxW;
        var wi = Round(weight, f / (1 << shift), 127);
        var bi = Round(bias, f, 32767);
        var ti = threshold is { } t ? Math.Clamp((int)Math.Round(t * f), 0, 32767) : 0;
        var dash = Math.Clamp((int)Math.Round(Math.Log2(1 / (1 - (double)beta))), 1, 15);
        return new(wi, shift, bi, 0, ti, dash, f, Scale(wi, (1 << shift) / f), Scale(bi, 1 / f), (float)(ti / f), 1 - MathF.Pow(2, -dash));
    }

    private static int[] Round(ReadOnlySpan<float> values, double factor, int limit)
    {
        var result = new int[values.Length];
        for (var i = 0; i < values.Length; i++) result[i] = (int)Math.Clamp(Math.Round(values[i] * factor), -limit, limit);
        return result;
    }

    private static float[] Scale(int[] values, double factor) => values.Select(v => (float)(v * factor)).ToArray();
}
