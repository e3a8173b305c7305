namespace SpikeSim.Learning.Losses;

/// <summary>Cross-entropy over the readout membrane at the last step: zᶜ = yᶜ[T−1].</summary>
public sealed class LastMembraneCrossEntropy : ILoss
{
    /// <inheritdoc />
    public LossKind Kind => LossKind.CeLast;

    /// <inheritdoc />
    public float Evaluate(ReadOnlySpan<float> outputs, int steps, int batch, int classes, ReadOnlySpan<int> labels,
        Span<float> gradient, Span<int> predictions)
    {
        var last = (steps - 1) * batch * classes;
        gradient.Clear();
        return SoftmaxCrossEntropy.Evaluate(outputs.Slice(last, batch * classes), batch, classes, labels,
            gradient.Slice(last, batch * classes), predictions);
    }
}
