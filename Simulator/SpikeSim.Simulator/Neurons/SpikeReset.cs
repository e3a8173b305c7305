namespace SpikeSim.Simulator.Neurons;

/// <summary>
/// What a spike does to the membrane of a <see cref="DiscreteLif"/> (and of the trainable layers, which run it).
/// </summary>
public enum SpikeReset
{
    /// <summary>
    /// θ is subtracted at the next step, undecayed: u[t] = β·u[t−1] + h[t] − θ·s[t−1] (snnTorch's default). This is the
    /// second subtraction timing: a continuous-time model's <see cref="ResetMode.Subtract"/> subtracts at once.
    /// </summary>
    Subtract,

    /// <summary>u ← 0 (Norse's default, and Loihi's): u[t] = β·u[t−1]·(1 − s[t−1]) + h[t].</summary>
    ToZero,
}

/// <summary>
/// A <see cref="SpikeReset"/> in the form kernels take, and the one discrete-time membrane step with it: the
/// <see cref="LeakyIntegrator.Step"/> of the membrane with the previous step's spike s taken back — u ← β·(u·(1 − s)) + h + I
/// (<see cref="SpikeReset.ToZero"/>) or u ← β·u + h + I − θ·s (<see cref="SpikeReset.Subtract"/>).
/// </summary>
public readonly struct NextStepReset(float threshold, SpikeReset reset)
{
    /// <summary>1 where a spike resets the membrane to zero, 0 where it subtracts θ (an int: kernels take no enums or bools).</summary>
    public readonly int ResetToZero = reset == SpikeReset.ToZero ? 1 : 0;

    /// <summary>θ, the amount a spike subtracts.</summary>
    public readonly float Threshold = threshold;

    /// <summary>The membrane after one step from <paramref name="u"/> with input <paramref name="h"/>, current <paramref name="current"/> and the previous step's spike <paramref name="s"/>.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public float Step(float u, in LeakyIntegratorConstants membrane, float s, float h, float current) => ResetToZero != 0
        ? LeakyIntegrator.Step(u * (1f - s), membrane, h, current)
        : LeakyIntegrator.Step(u, membrane, h, current) - Threshold * s;
}
