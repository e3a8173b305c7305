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
/// Within a step: pairings add to c, then w moves by η·(n − b)·c·dt, then c decays.
/// </summary>
public sealed record ThreeFactorStdp(PairStdp Pairing, Neuromodulator Modulator, double TauCMs = 1000, double LearningRate = 1, double B = 0)
    : IPlasticityRule
{
    /// <summary>The constants of one step of length <paramref name="dtMs"/>.</summary>
    public ThreeFactorConstants Discretize(double dtMs)
    {
        Discretization.CheckTimeConstant("tau_c", TauCMs, dtMs);
        Modulator.Validate(dtMs);
        if (!double.IsFinite(LearningRate) || !double.IsFinite(B)) throw new InvalidParameterException("The learning rate and b must be finite.");
        return new ThreeFactorConstants(Pairing.Discretize(dtMs), (float)Discretization.Decay(dtMs, TauCMs), (float)(LearningRate * dtMs), (float)B);
    }

    /// <summary>One step of one synapse: the weight follows (n − b)·c, then the eligibility decays.</summary>
    public static void Step(ref float w, ref float eligibility, float modulator, in ThreeFactorConstants c)
    {
        w = PairStdp.Clip(w + c.RateDt * (modulator - c.B) * eligibility, c.Pairing);
        eligibility *= c.DecayC;
    }
}

/// <summary>The per-step constants of <see cref="ThreeFactorStdp"/>: η·dt folded into <see cref="RateDt"/>.</summary>
public readonly record struct ThreeFactorConstants(PairStdpConstants Pairing, float DecayC, float RateDt, float B);
