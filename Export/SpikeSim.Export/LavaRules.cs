using System.Globalization;
using LavaLearningRule = SpikeSim.Export.Proto.LavaLearningRule;
using SpikeSim.Simulator.Plasticity;
using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Export;

/// <summary>
/// SpikeSim's STDP rules rendered as Lava's <c>LoihiLearningRule</c> fields. Traces x1 (pre, τ₊) and y1 (post, τ₋)
/// take an impulse of 1 per spike and decay with their time constant in steps; x0 and y0 are this step's pre and
/// post spikes, so a post spike potentiates by A₊·x1 and a pre spike depresses by A₋·y1, as in
/// <see cref="PairStdp"/>. For three-factor STDP the eligibility is Lava's tag t and the neuromodulator is the
/// post-synaptic trace y2 (Lava's reward-modulated STDP pattern): dt = pairing − (1 − e^(−dt/τ_c))·t and
/// dw = η·dt·(y2 − b)·t. Rendered from the equations; Lava itself is not available here to run them.
/// </summary>
public static class LavaRules
{
    /// <summary>Pair STDP; nearest-spike pairing is reported as inexpressible.</summary>
    public static LavaLearningRule Pair(PairStdp r, double dtMs)
    {
        var rule = Traces(r, dtMs);
        if (r.Pairing == TracePairing.Nearest)
        {
            rule.Inexpressible = "nearest-spike pairing resets a trace at each spike; Lava's traces add an impulse per spike (all-to-all)";
            return rule;
        }
        rule.Dw = Pairing(r);
        rule.Note = $"Lava bounds weights by their bit width; W_min = {N(r.WMin)} and W_max = {N(r.WMax)} are not part of the rule.";
        return rule;
    }

    /// <summary>Three-factor STDP with the eligibility as the tag and the neuromodulator as the post trace y2.</summary>
    public static LavaLearningRule ThreeFactor(ThreeFactorStdp r, double dtMs)
    {
        var rule = Traces(r.Pairing, dtMs);
        if (r.Pairing.Pairing == TracePairing.Nearest)
        {
            rule.Inexpressible = "nearest-spike pairing resets a trace at each spike; Lava's traces add an impulse per spike (all-to-all)";
            return rule;
        }
        var decay = 1 - Discretization.Decay(dtMs, r.TauCMs);
        rule.Dt = $"{Pairing(r.Pairing)} - {N(decay)}*t";
        var rate = r.LearningRate * dtMs;
        rule.Dw = r.B == 0 ? $"{N(rate)}*y2*t" : $"{N(rate)}*y2*t - {N(rate * r.B)}*t";
        rule.Y2Impulse = (float)(r.Modulator.PerSpike == 0 ? 1 : r.Modulator.PerSpike);
        rule.Y2Tau = (float)(r.Modulator.TauNMs / dtMs);
        rule.Note = "the neuromodulator arrives as graded spikes into the post-synaptic trace y2; "
            + (r.Modulator.Source is { } s ? $"in SpikeSim it is released by the spikes of '{s.Name}'." : "in SpikeSim it is released by the simulation's Release call.");
        return rule;
    }

    private static LavaLearningRule Traces(PairStdp r, double dtMs) => new()
    {
        X1Impulse = 1, X1Tau = (float)(r.TauPlusMs / dtMs), Y1Impulse = 1, Y1Tau = (float)(r.TauMinusMs / dtMs), TEpoch = 1,
    };

    // Additive: A₊·x1·y0 − A₋·y1·x0. Multiplicative, expanded into products: A₊·(W_max − w)·x1·y0 − A₋·(w − W_min)·y1·x0.
    private static string Pairing(PairStdp r) => r.Dependence == WeightDependence.Additive
        ? $"{N(r.APlus)}*x1*y0 - {N(r.AMinus)}*y1*x0"
        : $"{N(r.APlus * r.WMax)}*x1*y0 - {N(r.APlus)}*w*x1*y0 - {N(r.AMinus)}*w*y1*x0 + {N(r.AMinus * r.WMin)}*y1*x0";

    private static string N(double value) => value.ToString("G9", CultureInfo.InvariantCulture);
}
