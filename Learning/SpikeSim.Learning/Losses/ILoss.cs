namespace SpikeSim.Learning.Losses;

/// <summary>
/// A classification loss on a network's output over time. <c>outputs</c> is the (steps·batch) × classes
/// matrix of the last layer (row t·batch + b): readout membranes or spikes. The loss is the mean over the batch.
/// </summary>
public interface ILoss
{
    /// <summary>Which loss this is.</summary>
    LossKind Kind { get; }

    /// <summary>
    /// Returns the mean loss, writes ∂L/∂outputs into <paramref name="gradient"/> (same layout) and the
    /// predicted class of each sample into <paramref name="predictions"/>.
    /// </summary>
    float Evaluate(ReadOnlySpan<float> outputs, int steps, int batch, int classes, ReadOnlySpan<int> labels,
        Span<float> gradient, Span<int> predictions);
}

/// <summary>Softmax cross-entropy on a batch × classes matrix of logits, the shared core of the cross-entropy losses.</summary>
public static class SoftmaxCrossEntropy
{
    /// <summary>Returns the mean loss; writes ∂L/∂logits = (softmax − onehot)/batch and the argmax per sample.</summary>
    public static float Evaluate(ReadOnlySpan<float> logits, int batch, int classes, ReadOnlySpan<int> labels,
        Span<float> gradLogits, Span<int> predictions)
    {
        double loss = 0;
        for (var b = 0; b < batch; b++)
        {
            var row = logits.Slice(b * classes, classes);
            var grad = gradLogits.Slice(b * classes, classes);
            var max = float.NegativeInfinity;
            var best = 0;
            for (var c = 0; c < classes; c++)
                if (row[c] > max) { max = row[c]; best = c; }
            predictions[b] = best;
            double sum = 0;
            for (var c = 0; c < classes; c++) sum += Math.Exp(row[c] - max);
            var label = labels[b];
            loss += Math.Log(sum) - (row[label] - max);
            for (var c = 0; c < classes; c++)
                grad[c] = (float)((Math.Exp(row[c] - max) / sum - (c == label ? 1 : 0)) / batch);
        }
        return (float)(loss / batch);
    }
}
