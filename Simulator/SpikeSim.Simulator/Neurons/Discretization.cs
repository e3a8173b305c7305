using SpikeSim.Simulator.Errors;

namespace SpikeSim.Simulator.Neurons;

/// <summary>
/// Host-side helpers that turn physical parameters into the constants kernels use. Every
/// exponential is taken here, once, never inside a kernel.
/// </summary>
public static class Discretization
{
    /// <summary>
    /// The factor e^(−dt/τ) that a quantity decaying with time constant τ keeps over a time dt: the one place decay
    /// factors are computed, for steps (neurons, traces, eligibilities, neuromodulators) and for the event engine's
    /// exact intervals alike.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static double Decay(double dtMs, double tauMs) => Math.Exp(-dtMs / tauMs);

    /// <summary>
    /// The factor a quantity with time constant τ keeps over one step: e^(−dt/τ) exactly and in discrete time,
    /// 1 − dt/τ under forward Euler.
    /// </summary>
    public static double Decay(double dtMs, double tauMs, Integrator integrator) => integrator switch
    {
        Integrator.ExactExponential or Integrator.DiscreteTime => Decay(dtMs, tauMs),
        Integrator.ForwardEuler => 1.0 - dtMs / tauMs,
        _ => throw new ArgumentOutOfRangeException(nameof(integrator)),
    };

    /// <summary>
    /// Weight of the constant drive over one step, the 1 − e^(−dt/τ) that solves
    /// τ·dv/dt = −v + x with x constant (dt/τ under forward Euler; 1 in discrete time, where a drive is an increment per step).
    /// </summary>
    public static double DriveGain(double dtMs, double tauMs, Integrator integrator) => integrator switch
    {
        Integrator.ExactExponential => 1.0 - Math.Exp(-dtMs / tauMs),
        Integrator.ForwardEuler => dtMs / tauMs,
        Integrator.DiscreteTime => 1.0,
        _ => throw new ArgumentOutOfRangeException(nameof(integrator)),
    };

    /// <summary>
    /// The gain from a synaptic current at the start of a step to the membrane at its end, for
    /// τ_m·dv/dt = −v + R·I and τ_s·dI/dt = −I: R·τ_s/(τ_s − τ_m)·(e^(−dt/τ_s) − e^(−dt/τ_m)),
    /// or R·(dt/τ)·e^(−dt/τ) when the two are equal; R·dt/τ_m under forward Euler; R in discrete time.
    /// </summary>
    public static double SynapticCoupling(double dtMs, double tauMemMs, double tauSynMs, double r, Integrator integrator)
    {
        if (integrator == Integrator.DiscreteTime) return r;
        if (integrator == Integrator.ForwardEuler) return r * dtMs / tauMemMs;
        if (Math.Abs(tauSynMs - tauMemMs) < 1e-9 * tauMemMs)
            return r * dtMs / tauMemMs * Math.Exp(-dtMs / tauMemMs);
        return r * tauSynMs / (tauSynMs - tauMemMs) * (Math.Exp(-dtMs / tauSynMs) - Math.Exp(-dtMs / tauMemMs));
    }

    /// <summary>A refractory period in whole steps, rounded to the nearest step.</summary>
    public static int RefractorySteps(double refractoryMs, double dtMs)
        => (int)Math.Round(refractoryMs / dtMs, MidpointRounding.AwayFromZero);

    /// <summary>
    /// Checks that dt is usable with a time constant under <paramref name="integrator"/>: in discrete time any τ ≥ 0
    /// (+∞ included) is a decay factor; otherwise τ is positive, finite and no smaller than dt.
    /// </summary>
    public static void CheckTimeConstant(string name, double tauMs, double dtMs, Integrator integrator)
    {
        if (integrator != Integrator.DiscreteTime)
        {
            CheckTimeConstant(name, tauMs, dtMs);
            return;
        }
        CheckStep(dtMs);
        if (!(tauMs >= 0))
            throw new InvalidParameterException($"{name} must be zero, a positive time in ms or +∞ (got {tauMs}).");
    }

    /// <summary>Checks that dt is usable with a time constant (positive, finite, and no larger than it).</summary>
    public static void CheckTimeConstant(string name, double tauMs, double dtMs)
    {
        CheckStep(dtMs);
        if (!(tauMs > 0) || double.IsInfinity(tauMs))
            throw new InvalidParameterException($"{name} must be a positive, finite time in ms (got {tauMs}).");
        if (dtMs > tauMs)
            throw new InvalidParameterException($"dt = {dtMs} ms is larger than {name} = {tauMs} ms; choose dt below every time constant.");
    }

    /// <summary>Checks that dt is positive and finite.</summary>
    public static void CheckStep(double dtMs)
    {
        if (!(dtMs > 0) || double.IsInfinity(dtMs))
            throw new InvalidParameterException($"dt must be a positive time in ms (got {dtMs}).");
    }

    /// <summary>Checks a refractory period (zero or positive, finite).</summary>
    public static void CheckRefractory(double refractoryMs)
    {
        if (!(refractoryMs >= 0) || double.IsInfinity(refractoryMs))
            throw new InvalidParameterException($"The refractory period must be zero or a positive time in ms (got {refractoryMs}).");
    }

    /// <summary>Checks that a threshold lies above the reset potential.</summary>
    public static void CheckThreshold(double vThreshold, double vReset)
    {
        if (!(vThreshold > vReset))
            throw new InvalidParameterException($"v_threshold ({vThreshold}) must lie above v_reset ({vReset}).");
    }
}
