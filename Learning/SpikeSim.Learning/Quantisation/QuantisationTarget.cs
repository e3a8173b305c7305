namespace SpikeSim.Learning.Quantisation;

/// <summary>The hardware a trained SNN is quantised for; on the command line and in files by its <see cref="Training.OptionName"/> (int8, loihi2, xylo).</summary>
public enum QuantisationTarget
{
    /// <summary>Generic signed 8-bit weights with one scale per layer; integer bias and threshold at that scale.</summary>
    Int8,

    /// <summary>
    /// Intel Loihi 2 (Lava's CUBA LIF): 8-bit weight mantissa with a shared exponent, 12-bit decays du, dv on the
    /// 4096 scale, 17-bit threshold mantissa shifted by 6, 13-bit bias mantissa with an exponent, reset to 0.
    /// </summary>
    Loihi2,

    /// <summary>SynSense Xylo (Rockpool): 8-bit weights, bit-shift decay v ← v − (v ≫ dash), 16-bit state, subtractive reset.</summary>
    Xylo,
}
