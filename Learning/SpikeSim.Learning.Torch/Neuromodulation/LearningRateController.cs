namespace SpikeSim.Learning.Torch.Neuromodulation;

/// <summary>
/// An evolvable neuromodulatory controller (after arXiv 1812.03365): a small tanh network that, for each layer
/// and at each control point of training, maps (layer depth in [0, 1], training progress in [0, 1], log₁₀ of the
/// layer's current learning rate, its momentum, log₁₀ mean |gradient|, log₁₀ mean |weight|) to that layer's
/// learning rate η = 10^(−2 + 1.5·tanh(o₁)) and momentum α = 0.99·σ(o₂). Its weights are the evolved genome.
/// </summary>
public sealed class LearningRateController
{
    public const int Inputs = 6, Hidden = 8, Outputs = 2;

    /// <summary>Genome length: two dense layers with biases.</summary>
    public const int GenomeLength = Inputs * Hidden + Hidden + Hidden * Outputs + Outputs;

    private readonly double[] _g;

    public LearningRateController(IReadOnlyList<double> genome)
    {
        if (genome.Count != GenomeLength) throw new ArgumentException($"The controller's genome has {GenomeLength} values, not {genome.Count}.");
        _g = genome.ToArray();
    }

    /// <summary>The learning rate and momentum for one layer now.</summary>
    public (double LearningRate, double Momentum) Decide(double depth, double progress, double learningRate, double momentum, double meanGradient, double meanWeight)
    {
        Span<double> x = [depth, progress, Math.Log10(learningRate), momentum, Math.Log10(meanGradient + 1e-12) / 4, Math.Log10(meanWeight + 1e-12)];
        Span<double> h = stackalloc double[Hidden];
        var k = 0;
        for (var j = 0; j < Hidden; j++)
        {
            var sum = 0.0;
            for (var i = 0; i < Inputs; i++) sum += _g[k++] * x[i];
            h[j] = sum;
        }
        for (var j = 0; j < Hidden; j++) h[j] = Math.Tanh(h[j] + _g[k++]);
        Span<double> o = stackalloc double[Outputs];
        for (var j = 0; j < Outputs; j++)
        {
            var sum = 0.0;
            for (var i = 0; i < Hidden; i++) sum += _g[k++] * h[i];
            o[j] = sum;
        }
        for (var j = 0; j < Outputs; j++) o[j] += _g[k++];
        return (Math.Pow(10, -2 + 1.5 * Math.Tanh(o[0])), 0.99 / (1 + Math.Exp(-o[1])));
    }
}
