namespace SpikeSim.Simulator.Neurons;

/// <summary>
/// A reset at the next step (<see cref="ResetMode.SubtractAtNextStep"/> or <see cref="ResetMode.ZeroAtNextStep"/>) in the
/// form kernels take, and the one discrete-time membrane step with it: the <see cref="LeakyIntegrator.Step"/> of the
/// membrane with the previous step's spike s taken back — u ← β·(u·(1 − s)) + h + I (<see cref="ResetMode.ZeroAtNextStep"/>)
/// or u ← β·u + h + I − θ·s (<see cref="ResetMode.SubtractAtNextStep"/>).
/// </summary>
public readonly struct NextStepReset(float threshold, ResetMode reset)
{
    /// <summary>1 where a spike resets the membrane to zero, 0 where it subtracts θ (an int: kernels take no enums or bools).</summary>
    public readonly int ResetToZero = reset == ResetMode.ZeroAtNextStep ? 1 : 0;

    /// <summary>θ, the amount a spike subtracts.</summary>
    public readonly float Threshold = threshold;

    /// <summary>The membrane after one step from <paramref name="u"/> with input <paramref name="h"/>, current <paramref name="current"/> and the previous step's spike <paramref name="s"/>.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public float Step(float u, in LeakyIntegratorConstants membrane, float s, float h, float current) => ResetToZero != 0
        ? LeakyIntegrator.Step(u * (1f - s), membrane, h, current)
        : LeakyIntegrator.Step(u, membrane, h, current) - Threshold * s;
}
