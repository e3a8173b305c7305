using System.Numerics;
using System.Runtime.CompilerServices;

namespace SpikeSim.Simulator.Neurons;

/// <summary>
/// Host-only, vectorised form of <see cref="SpikeRule"/> for the range methods of hot kernels: the
/// threshold test, reset and refractory bookkeeping of <see cref="Vector{T}.Count"/> neurons at once,
/// lane for lane the same operations as <see cref="SpikeRule.Fires"/> and <see cref="SpikeRule.AfterSpike"/>.
/// </summary>
internal readonly struct SpikeRuleVectors
{
    private readonly Vector<float> _threshold, _offset, _reset;
    private readonly Vector<int> _refractorySteps;
    private readonly bool _subtract, _greaterOrEqual;

    /// <summary>
    /// The vectors of <paramref name="rule"/>. Inlined, so that the JIT keeps them in registers through a kernel's loop:
    /// a call here, after a kernel's other constants, made it spill those and reload them from the stack every iteration.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public SpikeRuleVectors(SpikeRule rule)
    {
        _threshold = new Vector<float>(rule.VThreshold);
        _offset = new Vector<float>(rule.VThreshold - rule.VReset);
        _reset = new Vector<float>(rule.VReset);
        _refractorySteps = new Vector<int>(rule.RefractorySteps);
        _subtract = rule.Subtract;
        _greaterOrEqual = rule.GreaterOrEqual;
    }

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
