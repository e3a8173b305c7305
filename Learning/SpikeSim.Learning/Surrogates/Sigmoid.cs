namespace SpikeSim.Learning.Surrogates;

/// <summary>Logistic surrogate: σ(x) = 1 / (1 + e^(−kx)), σ′(x) = k·σ(x)·(1 − σ(x)).</summary>
public readonly struct Sigmoid(float slope) : ISurrogate
{
    private readonly float _k = slope;

    /// <inheritdoc />
    public float Derivative(float x)
    {
        var s = Smooth(x);
        return _k * s * (1f - s);
    }

    /// <inheritdoc />
    public float Smooth(float x) => 1f / (1f + MathF.Exp(-_k * x));
}
