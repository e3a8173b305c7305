using SpikeSim.Simulator.Random;
using SpikeSim.Learning.Evolution;
using SpikeSim.Learning.Plasticity;

namespace SpikeSim.Experiments.Maze;

/// <summary>How a maze agent turns its readout into one of the 4 moves.</summary>
public enum ActionPolicyKind
{
    /// <summary>Samples softmax(logits) at every step (<see cref="SoftmaxPolicy"/>).</summary>
    Softmax,

    /// <summary>
    /// An evolved gate chooses between the greedy move and a softmax sample at every step
    /// (<see cref="GatedArgmaxPolicy"/>; the authors' code of Wang et al. 2022).
    /// </summary>
    GatedArgmax,
}

/// <summary>One way of choosing a move from the agent's readout.</summary>
public interface IActionPolicy
{
    ActionPolicyKind Kind { get; }

    /// <summary>How many numbers the agent's readout gives: the 4 move logits and whatever else the policy reads.</summary>
    int Readouts { get; }

    /// <summary>The move (0–3) for <paramref name="readout"/>, drawing what it needs from <paramref name="rng"/>.</summary>
    int Choose(ReadOnlySpan<float> readout, Xoshiro256 rng);

    /// <summary>
    /// The moves of lifetimes lived in lockstep: lane k draws from <paramref name="rngs"/>[k] and is skipped where that is
    /// null (its lifetime has ended or the lane is unused); <paramref name="readouts"/> is index-major, number a of lane k
    /// at a·<paramref name="rngs"/>.Length + k. Each lane's move is the one <see cref="Choose(ReadOnlySpan{float}, Xoshiro256)"/>
    /// gives it; by default it is asked lane by lane.
    /// </summary>
    void Choose(ReadOnlySpan<float> readouts, ReadOnlySpan<Xoshiro256?> rngs, Span<int> moves)
    {
        Span<float> readout = stackalloc float[Readouts];
        for (var k = 0; k < rngs.Length; k++)
        {
            if (rngs[k] is not { } rng) continue;
            for (var a = 0; a < readout.Length; a++) readout[a] = readouts[a * rngs.Length + k];
            moves[k] = Choose(readout, rng);
        }
    }
}

/// <summary>Builds the policy of a kind.</summary>
public static class ActionPolicy
{
    public static IActionPolicy Create(ActionPolicyKind kind) => kind switch
    {
        ActionPolicyKind.Softmax => new SoftmaxPolicy(),
        ActionPolicyKind.GatedArgmax => new GatedArgmaxPolicy(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
