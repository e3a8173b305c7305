namespace SpikeSim.Simulator.Plasticity;

/// <summary>
/// A local learning rule on a projection: a typed strategy whose parameters are a record and whose
/// mathematics is static functions shared by kernels and tests. It sees presynaptic and postsynaptic
/// traces and, for three-factor rules, a neuromodulator that the engine passes in; it never reaches
/// into a network's internals.
/// </summary>
public interface IPlasticityRule
{
    /// <summary>
    /// Refuses, by name, a rule the engines were not written for: they run pair and three-factor STDP, and a rule of
    /// another type must never run silently as one of them. <paramref name="engine"/> names the engine in the message.
    /// </summary>
    public static void RequireKnown(IPlasticityRule rule, string engine)
    {
        if (rule.GetType() != typeof(PairStdp) && rule.GetType() != typeof(ThreeFactorStdp))
            throw new Errors.InvalidParameterException(
                $"The {engine} cannot run the learning rule {rule.GetType().Name}: it runs {nameof(PairStdp)} and {nameof(ThreeFactorStdp)} only.");
    }

    /// <summary>The pairing part of the rule (every rule here is spike-timing based).</summary>
    PairStdp Pairing { get; }
}

/// <summary>Which spike pairs a trace remembers.</summary>
public enum TracePairing
{
    /// <summary>Every earlier spike contributes: x ← x·e^(−dt/τ) + s.</summary>
    AllToAll,
    /// <summary>Only the latest spike: x ← 1 on a spike, else x·e^(−dt/τ).</summary>
    Nearest,
}

/// <summary>How a weight change depends on the weight.</summary>
public enum WeightDependence
{
    /// <summary>Δw₊ = A₊·x, Δw₋ = −A₋·y (hard bounds clip).</summary>
    Additive,
    /// <summary>Δw₊ = A₊·(W_max − w)·x, Δw₋ = −A₋·(w − W_min)·y (soft bounds).</summary>
    Multiplicative,
}
