namespace SpikeSim.Learning.Losses;

/// <summary>
/// Cross-entropy over the maximum over time of the readout membrane (Cramer et al. 2020, SpyTorch):
/// zᶜ = maxₜ yᶜ[t], L = −log softmax(z)[label]. The gradient reaches only the step of each maximum.
/// </summary>
public sealed class MaxMembraneCrossEntropy : ILoss
{
    /// <inheritdoc />
    public LossKind Kind => LossKind.CeMax;

    /// <inheritdoc />
    public float Evaluate(ReadOnlySpan<float> outputs, int steps, int batch, int classes, ReadOnlySpan<int> labels,
        Span<float> gradient, Span<int> predictions)
    {
        var logits = new float[batch * classes];
        var argmax = new int[batch * classes];
        for (var k = 0; k < logits.Length; k++) logits[k] = float.NegativeInfinity;
        for (var t = 0; t < steps; t++)
        for (var k = 0; k < logits.Length; k++)
        {
            var y = outputs[t * batch * classes + k];
            if (y > logits[k]) { logits[k] = y; argmax[k] = t; }
        }
        var gradLogits = new float[logits.Length];
        var loss = SoftmaxCrossEntropy.Evaluate(logits, batch, classes, labels, gradLogits, predictions);
        gradient.Clear();
        for (var k = 0; k < logits.Length; k++) gradient[argmax[k] * batch * classes + k] = gradLogits[k];
        return loss;
    }
}
