using ILGPU;
using System.Numerics;
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
/// Δt &lt; 0. Spikes in the same step do not pair. Traces are taken at spike emission. The window is written once
/// (<see cref="PairWindow{T}"/>), in float for the time-step engine and in double for the event engine.
/// </summary>
public sealed record PairStdp(
    double APlus = 0.01,
    double AMinus = 0.012,
    double TauPlusMs = 20,
    double TauMinusMs = 20,
    double WMin = 0,
    double WMax = 1,
    WeightDependence Dependence = WeightDependence.Additive,
    TracePairing Pairing = TracePairing.AllToAll) : ITimeStepRule<PairStdpConstants>, IEventRule
{
    /// <summary>The constants of one step of length <paramref name="dtMs"/>.</summary>
    public PairStdpConstants Discretize(double dtMs)
    {
        Discretization.CheckTimeConstant("tau_plus", TauPlusMs, dtMs);
        Discretization.CheckTimeConstant("tau_minus", TauMinusMs, dtMs);
        Validate();
        return new PairStdpConstants(Window<float>(), (float)Discretization.Decay(dtMs, TauPlusMs), (float)Discretization.Decay(dtMs, TauMinusMs), Pairing);
    }

    /// <summary>The window in <typeparamref name="T"/>.</summary>
    public PairWindow<T> Window<T>() where T : struct, IFloatingPointIeee754<T>
        => new(T.CreateChecked(APlus), T.CreateChecked(AMinus), T.CreateChecked(WMin), T.CreateChecked(WMax), Dependence);

    /// <inheritdoc />
    public void Validate()
    {
        if (!(TauPlusMs > 0) || !(TauMinusMs > 0) || !double.IsFinite(TauPlusMs) || !double.IsFinite(TauMinusMs))
            throw new InvalidParameterException($"tau_plus ({TauPlusMs} ms) and tau_minus ({TauMinusMs} ms) must be positive and finite.");
        if (!(WMax >= WMin)) throw new InvalidParameterException($"Wmax ({WMax}) must not lie below Wmin ({WMin}).");
        if (!double.IsFinite(APlus) || !double.IsFinite(AMinus)) throw new InvalidParameterException("A_plus and A_minus must be finite.");
    }

    double IEventRule.PreTauMs => TauPlusMs;

    double IEventRule.PostTauMs => TauMinusMs;

    bool IEventRule.EvolvesBetweenSpikes => false;

    void IEventRule.OnPreSpike(ref double weight, ref double eligibility, double postTrace)
        => weight = Window<double>().AfterPre(weight, postTrace);

    void IEventRule.OnPostSpike(ref double weight, ref double eligibility, double preTrace)
        => weight = Window<double>().AfterPost(weight, preTrace);

    void IEventRule.Advance(ref double weight, ref double eligibility, double fromMs, double toMs, IModulatorHistory? modulator)
    {
    }

    /// <summary>An (already decayed) trace taking a spike: x + 1, or 1 for nearest pairing.</summary>
    public static T AfterSpike<T>(T decayedTrace, TracePairing pairing) where T : struct, IFloatingPointIeee754<T>
        => pairing == TracePairing.Nearest ? T.One : decayedTrace + T.One;
}

/// <summary>
/// The pair-STDP window, the one definition of it: the change a postsynaptic spike makes given x
/// (<see cref="Potentiation"/>), the change a presynaptic spike makes given y (<see cref="Depression"/>), and the bounds.
/// </summary>
public readonly record struct PairWindow<T>(T APlus, T AMinus, T WMin, T WMax, WeightDependence Dependence)
    where T : struct, IFloatingPointIeee754<T>
{
    /// <summary>A₊·x, or A₊·(W_max − w)·x when multiplicative.</summary>
    public T Potentiation(T w, T preTrace) => Dependence == WeightDependence.Additive ? APlus * preTrace : APlus * (WMax - w) * preTrace;

    /// <summary>−A₋·y, or −A₋·(w − W_min)·y when multiplicative.</summary>
    public T Depression(T w, T postTrace) => Dependence == WeightDependence.Additive ? -(AMinus * postTrace) : -(AMinus * (w - WMin) * postTrace);

    /// <summary>w held within [W_min, W_max].</summary>
    public T Clip(T w) => T.Min(T.Max(w, WMin), WMax);

    /// <summary>The weight after a postsynaptic spike.</summary>
    public T AfterPost(T w, T preTrace) => Clip(w + Potentiation(w, preTrace));

    /// <summary>The weight after a presynaptic spike.</summary>
    public T AfterPre(T w, T postTrace) => Clip(w + Depression(w, postTrace));
}

/// <summary>The per-step form of <see cref="PairStdp"/>: the window in float and the traces' decays.</summary>
public readonly record struct PairStdpConstants(PairWindow<float> Window, float DecayPlus, float DecayMinus, TracePairing Pairing) : IRuleStep
{
    /// <inheritdoc />
    public float PreDecay => DecayPlus;

    /// <inheritdoc />
    public float PostDecay => DecayMinus;

    /// <inheritdoc />
    public bool HasEligibility => false;

    /// <inheritdoc />
    public bool StepsEverySynapse => false;

    /// <inheritdoc />
    public void OnPreSpike(ref float weight, ref float eligibility, float postTrace) => weight = Window.AfterPre(weight, postTrace);

    /// <inheritdoc />
    public void OnPostSpike(ref float weight, ref float eligibility, float preTrace) => weight = Window.AfterPost(weight, preTrace);

    /// <inheritdoc />
    public bool ReadsSites => false;

    /// <inheritdoc />
    public bool BeginsEachStep => false;

    /// <inheritdoc />
    public void BeginStep(ArrayView<float> postTrace)
    {
    }

    /// <inheritdoc />
    public void OnStep(ref float weight, ref float eligibility, SynapseSite site, float modulator)
    {
    }

    /// <inheritdoc />
    public void OnStepRow(in SynapseRow row, Span<float> weight, Span<float> eligibility, float modulator)
    {
    }
}
