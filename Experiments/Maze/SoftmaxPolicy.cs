using System.Runtime.Intrinsics;
using SpikeSim.Simulator.LinearAlgebra;
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

    /// <inheritdoc />
    public void Choose(ReadOnlySpan<float> readouts, ReadOnlySpan<Xoshiro256?> rngs, Span<int> moves) => Sample(readouts, Readouts, rngs, moves);

    /// <summary>A sample of softmax(<paramref name="logits"/>) from one uniform draw (<see cref="Sample(ReadOnlySpan{float}, int, ReadOnlySpan{Xoshiro256?}, Span{int})"/> for one lane).</summary>
    internal static int Sample(ReadOnlySpan<float> logits, Xoshiro256 rng)
    {
        Span<int> move = [0];
        Sample(logits, logits.Length, [rng], move);
        return move[0];
    }

    /// <summary>
    /// For each lane k with a generator, a sample of softmax over the 4 logits at the start of its block
    /// (<paramref name="readouts"/>[k·stride …]) from one uniform draw: p_a = e^(l_a − max l) by
    /// <see cref="LaneMath.Exp(Vector256{float})"/> (the same on every machine), one vector per move across the lanes.
    /// </summary>
    internal static void Sample(ReadOnlySpan<float> readouts, int stride, ReadOnlySpan<Xoshiro256?> rngs, Span<int> moves)
    {
        const int actions = MazeLearner.Actions;
        if (rngs.Length > Vector256<float>.Count) throw new ArgumentException($"At most {Vector256<float>.Count} lanes.");
        Span<Vector256<float>> p = stackalloc Vector256<float>[actions];
        var max = Vector256.Create(float.NegativeInfinity);
        for (var a = 0; a < actions; a++) max = Vector256.Max(max, p[a] = LaneVectors.Gather(readouts, a, stride, rngs.Length));
        for (var a = 0; a < actions; a++) p[a] = LaneMath.Exp(p[a] - max);
        for (var k = 0; k < rngs.Length; k++)
        {
            if (rngs[k] is not { } rng) continue;
            double sum = 0;
            for (var a = 0; a < actions; a++) sum += p[a].GetElement(k);
            var u = rng.NextDouble() * sum;
            moves[k] = actions - 1;
            for (var a = 0; a < actions; a++)
            {
                u -= p[a].GetElement(k);
                if (u <= 0)
                {
                    moves[k] = a;
                    break;
                }
            }
        }
    }
}
