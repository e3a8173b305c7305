namespace SpikeSim.Simulator.Neurons;

/// <summary>
/// The threshold test and reset shared by every spiking model, in the form kernels take:
/// the choices of <see cref="SpikeComparison"/> and <see cref="ResetMode"/> fixed on the host. <see cref="Settle"/> is the
/// reset in the step of the spike; <see cref="StepAtNextStep"/> the membrane's step under a reset at the next step.
/// </summary>
public readonly struct SpikeRule
{
    /// <summary>Threshold.</summary>
    public readonly float VThreshold;
    /// <summary>Reset potential.</summary>
    public readonly float VReset;
    /// <summary>The threshold test (an enum, not a bool: kernel parameters must be blittable).</summary>
    public readonly SpikeComparison Comparison;
    /// <summary>The reset.</summary>
    public readonly ResetMode Reset;
    /// <summary>Steps a neuron stays refractory after a spike.</summary>
    public readonly int RefractorySteps;

    /// <summary>Creates the rule for one population.</summary>
    public SpikeRule(double vThreshold, double vReset, SpikeComparison comparison, ResetMode reset, int refractorySteps)
    {
        VThreshold = (float)vThreshold;
        VReset = (float)vReset;
        Comparison = comparison;
        Reset = reset;
        RefractorySteps = refractorySteps;
    }

    /// <summary>Whether a spike is v ≥ θ rather than v &gt; θ.</summary>
    public bool GreaterOrEqual => Comparison == SpikeComparison.GreaterOrEqual;

    /// <summary>Whether the reset subtracts θ − v_reset rather than setting v_reset.</summary>
    public bool Subtract => Reset == ResetMode.Subtract;

    /// <summary>Whether <paramref name="v"/> crosses the threshold <paramref name="threshold"/>.</summary>
    public bool Fires(float v, float threshold) => GreaterOrEqual ? v >= threshold : v > threshold;

    /// <summary>
    /// The threshold test on an integrated potential: where it fires, resets <paramref name="v"/>
    /// and starts the refractory count. Returns whether the neuron fired.
    /// </summary>
    public bool Settle(ref float v, ref int refractory, float threshold)
    {
        if (!Fires(v, threshold)) return false;
        v = AfterSpike(v, threshold);
        refractory = RefractorySteps;
        return true;
    }

    /// <summary>The membrane after a spike at <paramref name="v"/> with threshold <paramref name="threshold"/>.</summary>
    public float AfterSpike(float v, float threshold) => Subtract ? v - (threshold - VReset) : VReset;

    /// <summary>
    /// Under a reset at the next step, the <see cref="LeakyIntegrator.Step"/> of the membrane with the previous step's spike
    /// s taken back: u ← β·(u·(1 − s)) + h + I for <see cref="ResetMode.ZeroAtNextStep"/>, u ← β·u + h + I − θ·s for
    /// <see cref="ResetMode.SubtractAtNextStep"/> (v_leak and the current's gain as the membrane has them).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public float StepAtNextStep(float u, in LeakyIntegratorConstants membrane, float s, float h, float current) => Reset == ResetMode.ZeroAtNextStep
        ? LeakyIntegrator.Step(u * (1f - s), membrane, h, current)
        : LeakyIntegrator.Step(u, membrane, h, current) - VThreshold * s;
}
