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
    public void Choose(ReadOnlySpan<float> readouts, ReadOnlySpan<Xoshiro256?> rngs, Span<int> moves) => Sample(readouts, rngs, moves);

    /// <summary>A sample of softmax(<paramref name="logits"/>) from one uniform draw (<see cref="Sample(ReadOnlySpan{float}, ReadOnlySpan{Xoshiro256?}, Span{int})"/> for one lane).</summary>
    internal static int Sample(ReadOnlySpan<float> logits, Xoshiro256 rng)
    {
        Span<int> move = [0];
        Sample(logits, [rng], move);
        return move[0];
    }

    /// <summary>
    /// For each lane k with a generator, a sample of softmax over its 4 logits (index-major: logit a of lane k at
    /// <paramref name="readouts"/>[a·lanes + k], lanes = <paramref name="rngs"/>.Length) from one uniform draw:
    /// p_a = e^(l_a − max l) by <see cref="LaneMath.Exp(Vector256{float})"/> (the same on every machine), one vector per
    /// move across the lanes.
    /// </summary>
    internal static void Sample(ReadOnlySpan<float> readouts, ReadOnlySpan<Xoshiro256?> rngs, Span<int> moves)
    {
        const int actions = MazeLearner.Actions;
        var lanes = rngs.Length;
        if (lanes > Vector256<float>.Count) throw new ArgumentException($"At most {Vector256<float>.Count} lanes.");
        Span<float> p = stackalloc float[actions * Vector256<float>.Count];
        var max = Vector256.Create(float.NegativeInfinity);
        Span<Vector256<float>> logits = stackalloc Vector256<float>[actions];
        for (var a = 0; a < actions; a++) max = Vector256.Max(max, logits[a] = LaneVectors.Load(readouts.Slice(a * lanes, lanes)));
        for (var a = 0; a < actions; a++) LaneMath.Exp(logits[a] - max).CopyTo(p[(a * Vector256<float>.Count)..]);
        for (var k = 0; k < lanes; k++)
        {
            if (rngs[k] is not { } rng) continue;
            double sum = 0;
            for (var a = 0; a < actions; a++) sum += p[a * Vector256<float>.Count + k];
            // The first a whose running remainder u − p_0 − … − p_a is ≤ 0 (3 if none): the remainders never increase,
            // so that is how many of the first three are not ≤ 0 — counted without a branch that the draw would mispredict.
            var u = rng.NextDouble() * sum;
            var move = 0;
            for (var a = 0; a < actions - 1; a++)
            {
                u -= p[a * Vector256<float>.Count + k];
                move += u <= 0 ? 0 : 1;
            }
            moves[k] = move;
        }
    }
}
