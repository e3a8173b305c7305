using SpikeSim.Export;
using SpikeSim.Simulator.Plasticity;
using Xunit;

namespace SpikeSim.Tests.Export;

/// <summary>The Lava renderings of the STDP rules: the strings, traces and what cannot be expressed.</summary>
public sealed class LavaRuleTests
{
    [Fact]
    public void Additive_pair_stdp_is_lavas_stdp_with_traces_in_steps()
    {
        var rule = LavaRules.Pair(new PairStdp(APlus: 0.01, AMinus: 0.012, TauPlusMs: 20, TauMinusMs: 25), dtMs: 0.5);
        Assert.Equal("0.01*x1*y0 - 0.012*y1*x0", rule.Dw);
        Assert.Equal((1f, 40f, 1f, 50f, 1u), (rule.X1Impulse, rule.X1Tau, rule.Y1Impulse, rule.Y1Tau, rule.TEpoch));
        Assert.Empty(rule.Inexpressible);
    }

    [Fact]
    public void Multiplicative_pair_stdp_expands_into_sums_of_products()
    {
        var rule = LavaRules.Pair(new PairStdp(APlus: 0.5, AMinus: 0.25, WMin: 0.1, WMax: 2, Dependence: WeightDependence.Multiplicative), 1);
        // A₊·(W_max − w)·x1·y0 − A₋·(w − W_min)·y1·x0
        Assert.Equal("1*x1*y0 - 0.5*w*x1*y0 - 0.25*w*y1*x0 + 0.025*y1*x0", rule.Dw);
    }

    [Fact]
    public void Three_factor_stdp_keeps_eligibility_in_the_tag_and_the_modulator_in_y2()
    {
        var pair = new PairStdp(APlus: 0.01, AMinus: 0.012);
        var rule = LavaRules.ThreeFactor(new ThreeFactorStdp(pair, new Neuromodulator(TauNMs: 200), TauCMs: 1000, LearningRate: 2, B: 0.1), dtMs: 1);
        Assert.Equal($"0.01*x1*y0 - 0.012*y1*x0 - {(1 - Math.Exp(-1.0 / 1000)).ToString("G9", System.Globalization.CultureInfo.InvariantCulture)}*t", rule.Dt);
        Assert.Equal("2*y2*t - 0.2*t", rule.Dw);
        Assert.Equal((1f, 200f), (rule.Y2Impulse, rule.Y2Tau));
    }

    [Fact]
    public void Nearest_pairing_is_reported_as_inexpressible()
    {
        var rule = LavaRules.Pair(new PairStdp(Pairing: TracePairing.Nearest), 1);
        Assert.Empty(rule.Dw);
        Assert.Contains("nearest", rule.Inexpressible);
    }

    [Fact]
    public void Exported_networks_carry_the_rendering_beside_nests_parameters()
    {
        var file = NetworkExporter.ToModelFile(Support.EveryKindNetwork.Build(3), 0.1);
        var rules = file.Graph.Nodes.Where(n => n.Sparse?.Plasticity is not null).Select(n => n.Sparse.Plasticity).ToList();
        Assert.NotEmpty(rules);
        Assert.All(rules, r => Assert.NotNull(r.PairStdp?.Lava ?? r.ThreeFactorStdp?.Lava));
    }
}
