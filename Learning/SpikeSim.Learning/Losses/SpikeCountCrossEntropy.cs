namespace SpikeSim.Learning.Losses;

/// <summary>
/// Cross-entropy over the spike counts of a spiking output layer (snnTorch's <c>ce_count_loss</c>):
/// zᶜ = Σₜ sᶜ[t]; every step receives ∂L/∂zᶜ.
/// </summary>
public sealed class SpikeCountCrossEntropy : ILoss
{
    /// <inheritdoc />
    public LossKind Kind => LossKind.CeCount;

    /// <inheritdoc />
    public float Evaluate(ReadOnlySpan<float> outputs, int steps, int batch, int classes, ReadOnlySpan<int> labels,
        Span<float> gradient, Span<int> predictions)
    {
        var cells = batch * classes;
        var counts = new float[cells];
        for (var t = 0; t < steps; t++)
        for (var k = 0; k < cells; k++) counts[k] += outputs[t * cells + k];
        var gradCounts = new float[cells];
        var loss = SoftmaxCrossEntropy.Evaluate(counts, batch, classes, labels, gradCounts, predictions);
        for (var t = 0; t < steps; t++) gradCounts.CopyTo(gradient.Slice(t * cells, cells));
        return loss;
    }
}
