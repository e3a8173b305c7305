namespace SpikeSim.Learning.Surrogates;

/// <summary>
/// SuperSpike's fast sigmoid (Zenke &amp; Ganguli 2018, as in SpyTorch and snnTorch):
/// σ′(x) = 1 / (1 + k|x|)²; its antiderivative σ(x) = (x / (1 + k|x|) + 1/k) is a step of height 2/k.
/// </summary>
public readonly struct FastSigmoid(float slope) : ISurrogate
{
    private readonly float _k = slope;

    /// <inheritdoc />
    public float Derivative(float x)
    {
        var d = 1f + _k * MathF.Abs(x);
        return 1f / (d * d);
    }

    /// <inheritdoc />
    public float Smooth(float x) => x / (1f + _k * MathF.Abs(x)) + 1f / _k;
}
