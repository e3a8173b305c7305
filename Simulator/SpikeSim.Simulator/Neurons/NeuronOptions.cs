namespace SpikeSim.Simulator.Neurons;

/// <summary>
/// What a spike does to a neuron's membrane, and when: the one vocabulary of resets that the engines, the training scans
/// and the files share (files write each by name: TO_VALUE, SUBTRACT, SUBTRACT_NEXT_STEP; zero at the next step is
/// TO_VALUE with v_reset 0 at the next step, see <see cref="DiscreteLif"/>). The continuous-time models (<see cref="Lif"/>,
/// <see cref="AdaptiveLif"/>, <see cref="CubaLif"/>, <see cref="IntegrateAndFire"/>) reset in the step of the spike; the
/// discrete-time neurons of trainable layers (<see cref="DiscreteLif"/>, <see cref="DiscreteCubaLif"/>) at the next step.
/// A model refuses by name a mode of the other timing (<see cref="ResetModes"/>).
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
                $"{model} resets in the step of the spike (ToValue or Subtract), not {mode}: a reset at the next step is a discrete-time neuron's (DiscreteLif, DiscreteCubaLif).");
    }

    /// <summary>Refuses, naming <paramref name="model"/>, a mode that does not act at the next step (or is undefined).</summary>
    public static void CheckAtNextStep(ResetMode mode, string model)
    {
        if (!IsAtNextStep(mode))
            throw new Errors.InvalidParameterException(
                $"{model} resets at the next step (SubtractAtNextStep or ZeroAtNextStep), not {mode}: a reset in the step of the spike is a continuous-time model's (Lif, CubaLif).");
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
}

/// <summary>The threshold test.</summary>
public enum SpikeComparison
{
    /// <summary>Spike when v &gt; v_threshold (Brian2, NEST, NIR).</summary>
    Greater,
    /// <summary>Spike when v ≥ v_threshold.</summary>
    GreaterOrEqual,
}
