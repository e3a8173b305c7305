namespace SpikeSim.Learning.Surrogates;

/// <summary>
/// Triangle (piecewise-linear) surrogate (Esser et al. 2016, Bellec et al. 2018):
/// σ′(x) = k·max(0, 1 − k|x|), nonzero for |x| &lt; 1/k; σ is the piecewise-quadratic step of height 1.
/// </summary>
public readonly struct Triangle(float slope) : ISurrogate
{
    private readonly float _k = slope;

    /// <inheritdoc />
    public float Derivative(float x) => _k * MathF.Max(0f, 1f - _k * MathF.Abs(x));

    /// <inheritdoc />
    public float Smooth(float x)
    {
        var z = _k * x;
        if (z <= -1f) return 0f;
        if (z >= 1f) return 1f;
        return z < 0f ? 0.5f * (1f + z) * (1f + z) : 1f - 0.5f * (1f - z) * (1f - z);
    }
}
