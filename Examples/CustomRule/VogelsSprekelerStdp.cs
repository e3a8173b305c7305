using ILGPU;
using System.Numerics;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Plasticity;

namespace CustomRule;

/// <summary>
/// Inhibitory STDP of Vogels, Sprekeler, Zenke, Clopath and Gerstner (2011), "Inhibitory plasticity balances excitation
/// and inhibition in sensory pathways and memory networks", Science 334:1569, with NEST's parameter names and bounds
/// (<c>vogels_sprekeler_synapse</c>, models/vogels_sprekeler_synapse.h). A symmetric window plus a constant depression
/// per presynaptic spike, on the weight's magnitude, the sign being W_max's (negative for an inhibitory weight on
/// SpikeSim's current-based models, which add w to the synaptic current):
/// <code>
/// traces:      x ← x·e^(−dt/τ) + 1 on a pre spike,  y ← y·e^(−dt/τ) + 1 on a post spike
/// pre spike:   |w| ← min(|w| + η·y, |W_max|),  then  |w| ← max(|w| − η·α, 0)
/// post spike:  |w| ← min(|w| + η·x, |W_max|)
/// </code>
/// so a postsynaptic neuron driven above the target rate ρ₀ = α/(2τ) gains inhibition until it fires at ρ₀.
/// One file: the parameters, the time-step form (<see cref="Step"/>, called by the engine's kernels on every
/// backend) and the event-driven form, both from the one window <see cref="Potentiate{T}"/>/<see cref="Depress{T}"/>.
/// </summary>
public sealed record VogelsSprekelerStdp(double Eta = 1e-3, double Alpha = 0.2, double TauMs = 20, double WMax = -1)
    : ITimeStepRule<VogelsSprekelerStdp.Step>, IEventRule
{
    /// <summary>The target rate α/(2τ) in Hz.</summary>
    public double TargetRateHz => Alpha / (2 * TauMs) * 1000;

    /// <inheritdoc />
    public void Validate()
    {
        if (!(TauMs > 0) || !double.IsFinite(TauMs)) throw new InvalidParameterException($"tau ({TauMs} ms) must be positive and finite.");
        if (!double.IsFinite(Eta) || !double.IsFinite(Alpha) || !double.IsFinite(WMax) || WMax == 0)
            throw new InvalidParameterException("eta, alpha and a non-zero Wmax must be finite.");
    }

    /// <inheritdoc />
    public Step Discretize(double dtMs)
    {
        Discretization.CheckTimeConstant("tau", TauMs, dtMs);
        Validate();
        return new Step((float)Eta, (float)Alpha, (float)WMax, (float)Discretization.Decay(dtMs, TauMs));
    }

    /// <summary>|w| + η·trace, at most |W_max|, with W_max's sign.</summary>
    public static T Potentiate<T>(T w, T trace, T eta, T wMax) where T : struct, IFloatingPointIeee754<T>
        => T.CopySign(T.Min(T.Abs(w) + eta * trace, T.Abs(wMax)), wMax);

    /// <summary>|w| − η·α, at least 0, with W_max's sign.</summary>
    public static T Depress<T>(T w, T eta, T alpha, T wMax) where T : struct, IFloatingPointIeee754<T>
        => T.CopySign(T.Max(T.Abs(w) - eta * alpha, T.Zero), wMax);

    double IEventRule.PreTauMs => TauMs;

    double IEventRule.PostTauMs => TauMs;

    TracePairing IEventRule.Pairing => TracePairing.AllToAll;

    bool IEventRule.EvolvesBetweenSpikes => false;

    void IEventRule.OnPreSpike(ref double weight, ref double eligibility, double postTrace)
        => weight = Depress(Potentiate(weight, postTrace, Eta, WMax), Eta, Alpha, WMax);

    void IEventRule.OnPostSpike(ref double weight, ref double eligibility, double preTrace)
        => weight = Potentiate(weight, preTrace, Eta, WMax);

    void IEventRule.Advance(ref double weight, ref double eligibility, double fromMs, double toMs, IModulatorHistory? modulator)
    {
    }

    /// <summary>The rule for one step: η, α, W_max and the traces' decay e^(−dt/τ).</summary>
    public readonly record struct Step(float Eta, float Alpha, float WMax, float Decay) : IRuleStep
    {
        /// <inheritdoc />
        public float PreDecay => Decay;

        /// <inheritdoc />
        public float PostDecay => Decay;

        /// <inheritdoc />
        public TracePairing Pairing => TracePairing.AllToAll;

        /// <inheritdoc />
        public bool HasEligibility => false;

        /// <inheritdoc />
        public bool StepsEverySynapse => false;

        /// <inheritdoc />
        public void OnPreSpike(ref float weight, ref float eligibility, float postTrace)
            => weight = Depress(Potentiate(weight, postTrace, Eta, WMax), Eta, Alpha, WMax);

        /// <inheritdoc />
        public void OnPostSpike(ref float weight, ref float eligibility, float preTrace) => weight = Potentiate(weight, preTrace, Eta, WMax);

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
}
