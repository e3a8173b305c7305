namespace SpikeSim.Learning.Losses;

/// <summary>
/// Mean squared error between output firing rates and target rates (snnTorch's <c>mse_count_loss</c>
/// in rate form): rᶜ = Σₜ sᶜ[t] / T, target <paramref name="onRate"/> for the label and
/// <paramref name="offRate"/> elsewhere, L = mean over batch of Σ_c (rᶜ − targetᶜ)².
/// The prediction is the class with the highest rate.
/// </summary>
public sealed class RateMse(float onRate = 0.8f, float offRate = 0.2f) : ILoss
{
    /// <inheritdoc />
    public LossKind Kind => LossKind.MseRate;

    /// <inheritdoc />
    public float Evaluate(ReadOnlySpan<float> outputs, int steps, int batch, int classes, ReadOnlySpan<int> labels,
        Span<float> gradient, Span<int> predictions)
    {
        var cells = batch * classes;
        var rates = new float[cells];
        for (var t = 0; t < steps; t++)
        for (var k = 0; k < cells; k++) rates[k] += outputs[t * cells + k] / steps;
        double loss = 0;
        var gradRates = new float[cells];
        for (var b = 0; b < batch; b++)
        {
            var best = 0;
            for (var c = 0; c < classes; c++)
            {
                var k = b * classes + c;
                var error = rates[k] - (c == labels[b] ? onRate : offRate);
                loss += error * error;
                gradRates[k] = 2 * error / batch / steps;
                if (rates[k] > rates[b * classes + best]) best = c;
            }
            predictions[b] = best;
        }
        for (var t = 0; t < steps; t++) gradRates.CopyTo(gradient.Slice(t * cells, cells));
        return (float)(loss / batch);
    }
}
