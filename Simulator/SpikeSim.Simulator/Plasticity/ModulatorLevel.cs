using ILGPU;

namespace SpikeSim.Simulator.Plasticity;

/// <summary>Where a learning rule reads its neuromodulator: entry <see cref="Index"/> of the engine's device levels (−1: none, level 0).</summary>
public readonly record struct ModulatorLevel(ArrayView<double> Levels, int Index)
{
    /// <summary>No neuromodulator.</summary>
    public static ModulatorLevel None => new(default, -1);
}
