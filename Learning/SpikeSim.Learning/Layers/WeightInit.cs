namespace SpikeSim.Learning.Layers;

/// <summary>
/// Initial weights that keep activity alive at any depth and time constant: W ~ N(0, σ²) with
/// <c>σ = g·θ·√(1 − β²) / √fan_in</c>. A leaky membrane driven by fan_in unit inputs through such
/// weights fluctuates with standard deviation ≈ g·θ (the √(1 − β²) undoes the leak's accumulation),
/// so with the gain g ≈ 1 a neuron sits near threshold whatever τ and fan-in are. Biases start at zero.
/// </summary>
public static class WeightInit
{
    /// <summary>Fills <paramref name="weights"/> by the rule above.</summary>
    public static void Gaussian(Span<float> weights, int fanIn, float beta, float threshold, float gain, Random random)
    {
        var sigma = gain * threshold * Math.Sqrt(1 - (double)beta * beta) / Math.Sqrt(fanIn);
        for (var i = 0; i < weights.Length; i++)
        {
            // Box–Muller on the seeded generator, so the same seed gives the same network everywhere.
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            weights[i] = (float)(sigma * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
    }
}

/// <summary>
/// What <see cref="WeightInit.Gaussian"/> scales by for a layer whose neurons come later (a convolution, then pooling,
/// then the neurons): their decay β and threshold θ, and the gain g.
/// </summary>
public readonly record struct WeightScale(float Beta, float Threshold, float Gain);
