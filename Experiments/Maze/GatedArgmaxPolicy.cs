using SpikeSim.Simulator.Random;
using SpikeSim.Learning.Evolution;
using SpikeSim.Learning.Plasticity;

namespace SpikeSim.Experiments.Maze;

/// <summary>
/// The action selection of the authors' code for Wang et al. 2022 (<c>output_to_action</c> of their maze
/// environment): the readout is the 4 move logits l and a gate g;
/// <code>
/// with probability ½·tanh(g) + ½   the move is argmax_a l_a   (the first of equal maxima)
/// otherwise                        a sample of softmax(l)
/// </code>
/// so the network itself sets, step by step, how greedily it acts: it can explore in a new maze and follow what it
/// has learned once it knows the way. One uniform draw for the gate per step, one more when it samples.
/// </summary>
public sealed class GatedArgmaxPolicy : IActionPolicy
{
    public ActionPolicyKind Kind => ActionPolicyKind.GatedArgmax;

    public int Readouts => MazeLearner.Actions + 1;

    public int Choose(ReadOnlySpan<float> readout, Xoshiro256 rng)
    {
        var logits = readout[..MazeLearner.Actions];
        if (rng.NextDouble() < GreedyProbability(readout[MazeLearner.Actions])) return ArgMax(logits);
        return SoftmaxPolicy.Sample(logits, rng);
    }

    /// <summary>½·tanh(g) + ½: how likely the greedy move is for gate <paramref name="g"/>.</summary>
    public static double GreedyProbability(float g) => 0.5 * Math.Tanh(g) + 0.5;

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var a = 1; a < values.Length; a++)
            if (values[a] > values[best]) best = a;
        return best;
    }
}
