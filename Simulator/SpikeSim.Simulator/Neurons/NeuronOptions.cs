namespace SpikeSim.Simulator.Neurons;

/// <summary>
/// What a spike does to a neuron's membrane, and when: the one vocabulary of resets that the engines, the training scans
/// and the files share (files write each by name: TO_VALUE, SUBTRACT, SUBTRACT_NEXT_STEP, ZERO_NEXT_STEP). <see cref="Lif"/>,
/// <see cref="AdaptiveLif"/> and <see cref="CubaLif"/> take all four in the time-step engine — the next-step modes are
/// those of trainable layers, whose cells are these models (snnTorch's and Norse's discrete-time neurons, usually with
/// <see cref="Integrator.DiscreteTime"/>); <see cref="IntegrateAndFire"/> and the event engine reset in the step of the
/// spike. A model refuses by name a mode it does not have (<see cref="ResetModes"/>).
/// </summary>
public enum ResetMode
{
    /// <summary>v ← v_reset, in the step of the spike.</summary>
    ToValue,

    /// <summary>
    /// v ← v − (v_threshold − v_reset), in the step of the spike (the subtraction is decayed with the membrane from then
    /// on). Not snnTorch's "subtract", which is <see cref="SubtractAtNextStep"/>.
    /// </summary>
    Subtract,

    /// <summary>
    /// θ is subtracted at the next step, undecayed: u[t] = β·u[t−1] + h[t] − θ·s[t−1] (snnTorch's default "subtract").
    /// </summary>
    SubtractAtNextStep,

    /// <summary>u ← 0 at the next step (Norse's default, and Loihi's): u[t] = β·u[t−1]·(1 − s[t−1]) + h[t].</summary>
    ZeroAtNextStep,
}

/// <summary>Which <see cref="ResetMode"/>s a model takes, and the reset in the step of a spike for the event engine's exact forms.</summary>
public static class ResetModes
{
    /// <summary>Whether <paramref name="mode"/> acts at the step after the spike.</summary>
    public static bool IsAtNextStep(ResetMode mode) => mode is ResetMode.SubtractAtNextStep or ResetMode.ZeroAtNextStep;

    /// <summary>Refuses, naming <paramref name="model"/>, a mode that does not act in the step of the spike (or is undefined).</summary>
    public static void CheckInStep(ResetMode mode, string model)
    {
        if (mode is not (ResetMode.ToValue or ResetMode.Subtract))
            throw new Errors.InvalidParameterException(
                $"{model} resets in the step of the spike (ToValue or Subtract), not {mode}: a reset at the next step is Lif's, AdaptiveLif's and CubaLif's, in the time-step engine.");
    }

    /// <summary>
    /// Refuses, naming <paramref name="model"/>, a reset that a model taking both timings (<see cref="Lif"/>,
    /// <see cref="AdaptiveLif"/>, <see cref="CubaLif"/>) cannot run with these values: an undefined mode, or a next-step one with what it has no form
    /// for (<see cref="CheckNextStepSpiking"/>).
    /// </summary>
    public static void CheckEitherTiming(string model, ResetMode mode, double vThreshold, double vReset, double refractoryMs, SpikeComparison comparison)
    {
        if (IsAtNextStep(mode)) CheckNextStepSpiking(model, mode, vThreshold, vReset, refractoryMs, comparison);
        else CheckInStep(mode, model);
    }

    /// <summary>
    /// Refuses, naming <paramref name="model"/>, what a reset at the next step has no form for: the next-step resets are the
    /// discrete-time neurons' (subtract θ, or set 0, a step later; spike where u − θ &gt; 0), so v_reset is 0, there is no
    /// refractory period and the spike test is strict.
    /// </summary>
    public static void CheckNextStepSpiking(string model, ResetMode mode, double vThreshold, double vReset, double refractoryMs, SpikeComparison comparison)
    {
        if (vReset != 0 || refractoryMs != 0 || comparison != SpikeComparison.Greater)
            throw new Errors.InvalidParameterException(
                $"{model} resets by {mode}, which sets 0 or subtracts θ at the next step and has no refractory period or ≥ test: " +
                $"v_reset must be 0 (got {vReset}), refractory 0 ms (got {refractoryMs}) and the test v > θ (got {comparison}).");
        if (mode == ResetMode.SubtractAtNextStep && !double.IsFinite(vThreshold))
            throw new Errors.InvalidParameterException($"{model} subtracts θ at the next step, so θ must be finite (got {vThreshold}).");
    }

    /// <summary>
    /// The membrane after a spike at <paramref name="v"/> in the event engine's double precision: v − (θ − v_reset) for
    /// <see cref="ResetMode.Subtract"/>, else v_reset (the float form kernels take is <see cref="SpikeRule.AfterSpike"/>).
    /// </summary>
    public static double AfterSpike(double v, double threshold, double vReset, ResetMode mode)
        => mode == ResetMode.Subtract ? v - (threshold - vReset) : vReset;
}

/// <summary>How a model's linear ODEs are turned into a step of length dt.</summary>
public enum Integrator
{
    /// <summary>The exact solution of the linear ODE over dt with inputs held constant (default).</summary>
    ExactExponential,
    /// <summary>Forward Euler: x ← x + dt·f(x); first order, as several peers' discrete models.</summary>
    ForwardEuler,

    /// <summary>
    /// The model is its discrete-time map, one update per step, as trainable layers and snnTorch's, Norse's and Bellec et
    /// al.'s discrete neurons define it: every decay is e^(−dt/τ) (τ = 0 keeps nothing, τ = +∞ everything; τ may be below
    /// dt), and a current enters as R·I per step rather than integrated over it (u ← β·u + h + R·I). The event engine has no
    /// form of it.
    /// </summary>
    DiscreteTime,
}

/// <summary>The threshold test.</summary>
public enum SpikeComparison
{
    /// <summary>Spike when v &gt; v_threshold (Brian2, NEST, NIR).</summary>
    Greater,
    /// <summary>Spike when v ≥ v_threshold.</summary>
    GreaterOrEqual,
}
