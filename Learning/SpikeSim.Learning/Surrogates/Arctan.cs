namespace SpikeSim.Learning.Surrogates;

/// <summary>
/// Arctangent surrogate (Fang et al. 2021, snnTorch's <c>atan</c>):
/// σ(x) = arctan(π·α·x / 2)/π + 1/2, σ′(x) = (α/2) / (1 + (π·α·x / 2)²).
/// </summary>
public readonly struct Arctan(float slope) : ISurrogate
{
    private readonly float _alpha = slope;

    /// <inheritdoc />
    public float Derivative(float x)
    {
        var z = MathF.PI * _alpha * x * 0.5f;
        return 0.5f * _alpha / (1f + z * z);
    }

    /// <inheritdoc />
    public float Smooth(float x) => MathF.Atan(MathF.PI * _alpha * x * 0.5f) / MathF.PI + 0.5f;
}
