using ILGPU;
using System.Numerics;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Simulator.Plasticity;

/// <summary>
/// Neuromodulated (three-factor) STDP, after Izhikevich (2007) and NEST's <c>stdp_dopamine_synapse</c>:
/// the pairing term of <see cref="Pairing"/> feeds a per-synapse eligibility trace c instead of the weight,
/// and the weight follows the neuromodulator n:
/// <code>
/// c ← c·e^(−dt/τ_c) + φ              φ: the pair-STDP change of each pre or post spike
/// w ← clip(w + η·(n − b)·c·dt, W_min, W_max)
/// </code>
/// Within a step: pairings add to c, then w moves by η·(n − b)·c·dt, then c decays. The event engine integrates
/// w′ = η·(n − b)·c exactly between updates and clips at update times.
/// </summary>
public sealed record ThreeFactorStdp(PairStdp Pairing, Neuromodulator Modulator, double TauCMs = 1000, double LearningRate = 1, double B = 0)
    : ITimeStepRule<ThreeFactorConstants>, IEventRule
{
    Neuromodulator? IPlasticityRule.Modulator => Modulator;

    /// <summary>The constants of one step of length <paramref name="dtMs"/>.</summary>
    public ThreeFactorConstants Discretize(double dtMs)
    {
        Discretization.CheckTimeConstant("tau_c", TauCMs, dtMs);
        Modulator.Validate(dtMs);
        Validate();
        return new ThreeFactorConstants(Pairing.Discretize(dtMs), (float)Discretization.Decay(dtMs, TauCMs), (float)(LearningRate * dtMs), (float)B);
    }

    /// <inheritdoc />
    public void Validate()
    {
        Pairing.Validate();
        if (!(TauCMs > 0) || !double.IsFinite(TauCMs)) throw new InvalidParameterException($"tau_c ({TauCMs} ms) must be positive and finite.");
        if (!double.IsFinite(LearningRate) || !double.IsFinite(B)) throw new InvalidParameterException("The learning rate and b must be finite.");
    }

    /// <summary>One step of one synapse: the weight follows (n − b)·c, then the eligibility decays.</summary>
    public static void Step(ref float w, ref float eligibility, float modulator, in ThreeFactorConstants c)
    {
        w = c.Pairing.Window.Clip(w + c.RateDt * (modulator - c.B) * eligibility);
        eligibility *= c.DecayC;
    }

    double IEventRule.PreTauMs => Pairing.TauPlusMs;

    double IEventRule.PostTauMs => Pairing.TauMinusMs;

    TracePairing IEventRule.Pairing => Pairing.Pairing;

    bool IEventRule.EvolvesBetweenSpikes => true;

    void IEventRule.OnPreSpike(ref double weight, ref double eligibility, double postTrace)
        => eligibility += Pairing.Window<double>().Depression(weight, postTrace);

    void IEventRule.OnPostSpike(ref double weight, ref double eligibility, double preTrace)
        => eligibility += Pairing.Window<double>().Potentiation(weight, preTrace);

    void IEventRule.Advance(ref double weight, ref double eligibility, double fromMs, double toMs, IModulatorHistory? modulator)
    {
        if (eligibility == 0 || toMs <= fromMs) return;
        var change = LearningRate * (modulator?.Integral(fromMs, toMs, eligibility, TauCMs, B) ?? 0);
        weight = Pairing.Window<double>().Clip(weight + change);
        eligibility *= Discretization.Decay(toMs - fromMs, TauCMs);
    }
}

/// <summary>The per-step form of <see cref="ThreeFactorStdp"/>: η·dt folded into <see cref="RateDt"/>.</summary>
public readonly record struct ThreeFactorConstants(PairStdpConstants Pairing, float DecayC, float RateDt, float B) : IRuleStep
{
    /// <inheritdoc />
    public float PreDecay => Pairing.DecayPlus;

    /// <inheritdoc />
    public float PostDecay => Pairing.DecayMinus;

    /// <inheritdoc />
    TracePairing IRuleStep.Pairing => Pairing.Pairing;

    /// <inheritdoc />
    public bool HasEligibility => true;

    /// <inheritdoc />
    public bool StepsEverySynapse => true;

    /// <inheritdoc />
    public void OnPreSpike(ref float weight, ref float eligibility, float postTrace) => eligibility += Pairing.Window.Depression(weight, postTrace);

    /// <inheritdoc />
    public void OnPostSpike(ref float weight, ref float eligibility, float preTrace) => eligibility += Pairing.Window.Potentiation(weight, preTrace);

    /// <inheritdoc />
    public bool ReadsSites => false;

    /// <inheritdoc />
    public bool BeginsEachStep => false;

    /// <inheritdoc />
    public void BeginStep(ArrayView<float> postTrace)
    {
    }

    /// <inheritdoc />
    public void OnStep(ref float weight, ref float eligibility, SynapseSite site, float modulator) => ThreeFactorStdp.Step(ref weight, ref eligibility, modulator, this);

    /// <inheritdoc />
    public void OnStepRow(in SynapseRow row, Span<float> weight, Span<float> eligibility, float modulator) => StepRange(weight, eligibility, modulator);

    /// <summary><see cref="ThreeFactorStdp.Step"/> over a range, vectorised: the same bits element by element.</summary>
    public void StepRange(Span<float> weight, Span<float> eligibility, float modulator)
    {
        var s = 0;
        // Vectorised: (η·dt·(n − b)) is the scalar step's first product, so every lane computes what Step computes.
        var gain = new Vector<float>(RateDt * (modulator - B));
        var decay = new Vector<float>(DecayC);
        var low = new Vector<float>(Pairing.Window.WMin);
        var high = new Vector<float>(Pairing.Window.WMax);
        for (; s <= weight.Length - Vector<float>.Count; s += Vector<float>.Count)
        {
            var e = new Vector<float>(eligibility[s..]);
            var w = new Vector<float>(weight[s..]) + gain * e;
            Vector.Min(Vector.Max(w, low), high).CopyTo(weight[s..]);
            (e * decay).CopyTo(eligibility[s..]);
        }
        for (; s < weight.Length; s++) ThreeFactorStdp.Step(ref weight[s], ref eligibility[s], modulator, this);
    }
}
