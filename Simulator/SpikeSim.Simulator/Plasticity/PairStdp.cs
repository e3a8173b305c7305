using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Simulator.Plasticity;

/// <summary>
/// Pair-based STDP with NEST's parameter names (<c>stdp_synapse</c>): a presynaptic trace x (τ₊) and a
/// postsynaptic trace y (τ₋),
/// <code>
/// post spike:  w ← clip(w + A₊·x)        (A₊·(W_max − w)·x when multiplicative)
/// pre spike:   w ← clip(w − A₋·y)        (A₋·(w − W_min)·y when multiplicative)
/// </code>
/// so a pair at lag Δt = t_post − t_pre changes w by A₊·e^(−Δt/τ₊) for Δt &gt; 0 and −A₋·e^(Δt/τ₋) for
/// Δt &lt; 0. Spikes in the same step do not pair. Traces are taken at spike emission.
/// </summary>
public sealed record PairStdp(
    double APlus = 0.01,
    double AMinus = 0.012,
    double TauPlusMs = 20,
    double TauMinusMs = 20,
    double WMin = 0,
    double WMax = 1,
    WeightDependence Dependence = WeightDependence.Additive,
    TracePairing Pairing = TracePairing.AllToAll) : IPlasticityRule
{
    PairStdp IPlasticityRule.Pairing => this;

    /// <summary>The constants of one step of length <paramref name="dtMs"/>.</summary>
    public PairStdpConstants Discretize(double dtMs)
    {
        Discretization.CheckTimeConstant("tau_plus", TauPlusMs, dtMs);
        Discretization.CheckTimeConstant("tau_minus", TauMinusMs, dtMs);
        if (!(WMax >= WMin)) throw new InvalidParameterException($"Wmax ({WMax}) must not lie below Wmin ({WMin}).");
        if (!double.IsFinite(APlus) || !double.IsFinite(AMinus)) throw new InvalidParameterException("A_plus and A_minus must be finite.");
        return new PairStdpConstants((float)APlus, (float)AMinus, (float)Discretization.Decay(dtMs, TauPlusMs), (float)Discretization.Decay(dtMs, TauMinusMs),
            (float)WMin, (float)WMax, Dependence, Pairing);
    }

    /// <summary>The change a postsynaptic spike makes, given the presynaptic trace at that time.</summary>
    public static float Potentiation(float w, float preTrace, in PairStdpConstants c)
        => c.Dependence == WeightDependence.Additive ? c.APlus * preTrace : c.APlus * (c.WMax - w) * preTrace;

    /// <summary>The change a presynaptic spike makes, given the postsynaptic trace at that time.</summary>
    public static float Depression(float w, float postTrace, in PairStdpConstants c)
        => c.Dependence == WeightDependence.Additive ? -c.AMinus * postTrace : -c.AMinus * (w - c.WMin) * postTrace;

    /// <summary>w held within [W_min, W_max].</summary>
    public static float Clip(float w, in PairStdpConstants c) => Math.Min(Math.Max(w, c.WMin), c.WMax);

    /// <summary>An (already decayed) trace taking a spike: x + 1, or 1 for nearest pairing.</summary>
    public static float AfterSpike(float decayedTrace, TracePairing pairing)
        => pairing == TracePairing.Nearest ? 1f : decayedTrace + 1f;
}

/// <summary>The per-step constants of <see cref="PairStdp"/>.</summary>
public readonly record struct PairStdpConstants(
    float APlus, float AMinus, float DecayPlus, float DecayMinus, float WMin, float WMax, WeightDependence Dependence, TracePairing Pairing);
