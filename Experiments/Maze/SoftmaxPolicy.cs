using SpikeSim.Simulator.Random;
using SpikeSim.Learning.Evolution;
using SpikeSim.Learning.Plasticity;

namespace SpikeSim.Experiments.Maze;

/// <summary>
/// The move is a sample of p_a = exp(l_a) / Σ_b exp(l_b) over the 4 logits l: one uniform draw per step. The agent
/// can act near-greedily only by making its logits large.
/// </summary>
public sealed class SoftmaxPolicy : IActionPolicy
{
    public ActionPolicyKind Kind => ActionPolicyKind.Softmax;

    public int Readouts => MazeLearner.Actions;

    public int Choose(ReadOnlySpan<float> readout, Xoshiro256 rng) => Sample(readout[..MazeLearner.Actions], rng);

    /// <summary>A sample of softmax(<paramref name="logits"/>) from one uniform draw.</summary>
    internal static int Sample(ReadOnlySpan<float> logits, Xoshiro256 rng)
    {
        var max = float.NegativeInfinity;
        foreach (var l in logits) max = Math.Max(max, l);
        double sum = 0;
        Span<double> p = stackalloc double[logits.Length];
        for (var a = 0; a < logits.Length; a++) sum += p[a] = Math.Exp(logits[a] - max);
        var u = rng.NextDouble() * sum;
        for (var a = 0; a < logits.Length; a++)
        {
            u -= p[a];
            if (u <= 0) return a;
        }
        return logits.Length - 1;
    }
}
