using System.Numerics;
using System.Runtime.CompilerServices;

namespace SpikeSim.Simulator.Neurons;

/// <summary>
/// Host-only, vectorised form of <see cref="SpikeRule"/> for the range methods of hot kernels: the
/// threshold test, reset and refractory bookkeeping of <see cref="Vector{T}.Count"/> neurons at once,
/// lane for lane the same operations as <see cref="SpikeRule.Fires"/> and <see cref="SpikeRule.AfterSpike"/>.
/// </summary>
internal readonly struct SpikeRuleVectors(SpikeRule rule)
{
    private readonly Vector<float> _threshold = new(rule.VThreshold);
    private readonly Vector<float> _offset = new(rule.VThreshold - rule.VReset);
    private readonly Vector<float> _reset = new(rule.VReset);
    private readonly Vector<int> _refractorySteps = new(rule.RefractorySteps);
    private readonly bool _subtract = rule.Subtract;
    private readonly bool _greaterOrEqual = rule.GreaterOrEqual;

    /// <summary>Whether the vector path applies to <paramref name="rule"/> on this machine.</summary>
    public static bool Supports(in SpikeRule rule) => Vector<int>.Count % 8 == 0;

    /// <summary>Lanes that are not refractory (counter zero).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<int> Active(Vector<int> refractory) => Vector.Equals(refractory, Vector<int>.Zero);

    /// <summary>
    /// Given the integrated potential <paramref name="integrated"/> of active lanes, stores the new
    /// potential (held where refractory, reset where fired), the new refractory counter and 0/1 spike bytes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Finish(Vector<int> refractory, Vector<int> active, Vector<float> held, Vector<float> integrated,
        ref float v, ref int counter, ref byte spikes, nuint offset)
    {
        var crossed = _greaterOrEqual ? Vector.GreaterThanOrEqual(integrated, _threshold) : Vector.GreaterThan(integrated, _threshold);
        var fired = Vector.BitwiseAnd(active, crossed);
        var reset = _subtract ? integrated - _offset : _reset;
        Vector.ConditionalSelect(fired, reset, Vector.ConditionalSelect(active, integrated, held)).StoreUnsafe(ref v, offset);
        Vector.ConditionalSelect(fired, _refractorySteps, Vector.ConditionalSelect(active, Vector<int>.Zero, refractory - Vector<int>.One))
            .StoreUnsafe(ref counter, offset);
        SpikeBytes.Store(fired, ref spikes, offset);
    }
}
