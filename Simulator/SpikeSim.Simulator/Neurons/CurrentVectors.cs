using System.Numerics;
using System.Runtime.CompilerServices;

namespace SpikeSim.Simulator.Neurons;

/// <summary>
/// How a vectorised host step reads the external current (<see cref="NeuronStepArgs.Current"/>): a kernel's range method
/// is generic over this, so that the JIT compiles one loop per form and a population with no current input
/// (<see cref="NeuronStepArgs.HasCurrent"/> false) runs without the load. <see cref="NoCurrent"/> gives the zeros the
/// buffer would hold, so both forms compute the same bits.
/// </summary>
internal interface ICurrentVectors
{
    /// <summary>The currents of the lanes at <paramref name="offset"/>.</summary>
    static abstract Vector<float> Load(ref float current, nuint offset);
}

/// <summary>Reads the current buffer.</summary>
internal readonly struct LoadedCurrent : ICurrentVectors
{
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Load(ref float current, nuint offset) => Vector.LoadUnsafe(ref current, offset);
}

/// <summary>No current reaches the population: zeros, without touching memory.</summary>
internal readonly struct NoCurrent : ICurrentVectors
{
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Load(ref float current, nuint offset) => Vector<float>.Zero;
}
