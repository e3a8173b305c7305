namespace SpikeSim.Learning.Quantisation;

/// <summary>
/// One layer as a target stores it, and what that means in the float units of the trained model. The integer
/// fields are what goes to the hardware; <see cref="Weight"/>, <see cref="Bias"/>, <see cref="Threshold"/> and
/// <see cref="Beta"/> are their exact values back in float units, which SpikeSim simulates to measure the loss.
/// </summary>
/// <param name="WeightInt">Integer weights (Loihi 2: mantissas), [out, in].</param>
/// <param name="WeightExponent">Loihi 2: the shared weight exponent (weight = mantissa·2^(6 + exponent)); Xylo: the weight shift; 0 otherwise.</param>
/// <param name="BiasInt">Integer biases (Loihi 2: mantissas).</param>
/// <param name="BiasExponent">Loihi 2: bias = mantissa·2^exponent; 0 otherwise.</param>
/// <param name="ThresholdInt">Integer threshold (Loihi 2: the mantissa, shifted by 6); 0 for a readout.</param>
/// <param name="Decay">Loihi 2: dv on the 4096 scale; Xylo: dash (v ← v − v ≫ dash); Int8: 0 (the decay stays float).</param>
/// <param name="UnitsPerFloat">State units per float unit of the trained model (the layer's scale F).</param>
/// <param name="Weight">Dequantised weights.</param>
/// <param name="Bias">Dequantised biases.</param>
/// <param name="Threshold">Dequantised threshold.</param>
/// <param name="Beta">Membrane decay per step after quantisation.</param>
public sealed record QuantisedLayer(int[] WeightInt, int WeightExponent, int[] BiasInt, int BiasExponent, int ThresholdInt,
    int Decay, double UnitsPerFloat, float[] Weight, float[] Bias, float Threshold, float Beta);
