using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Plasticity;
using ProtoPlasticity = SpikeSim.Export.Proto.Plasticity;

namespace SpikeSim.Export.Codecs;

/// <summary><see cref="PairStdp"/> as a <c>PairStdp</c> message, with the same rule in Lava's terms beside it.</summary>
public sealed class PairStdpCodec : RuleCodec<PairStdp>
{
    /// <inheritdoc />
    protected override ProtoPlasticity.RuleOneofCase Kind => ProtoPlasticity.RuleOneofCase.PairStdp;

    /// <inheritdoc />
    protected override ProtoPlasticity Write(PairStdp rule, RuleWriting context)
    {
        var pair = Message(rule);
        pair.Lava = LavaRules.Pair(rule, context.DtMs);
        return new ProtoPlasticity { PairStdp = pair };
    }

    /// <inheritdoc />
    protected override PairStdp ReadRule(ProtoPlasticity plasticity, RuleReading context) => Rule(plasticity.PairStdp, context.Projection);

    /// <summary>The pairing fields of <paramref name="r"/> (three-factor STDP holds them too).</summary>
    internal static Proto.PairStdp Message(PairStdp r) => new()
    {
        APlus = r.APlus, AMinus = r.AMinus, TauPlusMs = r.TauPlusMs, TauMinusMs = r.TauMinusMs, WMin = r.WMin, WMax = r.WMax,
        Multiplicative = r.Dependence == WeightDependence.Multiplicative, Nearest = r.Pairing == TracePairing.Nearest,
    };

    /// <summary>The rule of pairing fields <paramref name="p"/>, every value finite.</summary>
    internal static PairStdp Rule(Proto.PairStdp p, string projection)
    {
        foreach (var x in new[] { p.APlus, p.AMinus, p.TauPlusMs, p.TauMinusMs, p.WMin, p.WMax })
            if (!double.IsFinite(x)) throw new SpikeSimException($"Projection '{projection}' has a non-finite STDP parameter.");
        return new PairStdp(p.APlus, p.AMinus, p.TauPlusMs, p.TauMinusMs, p.WMin, p.WMax,
            p.Multiplicative ? WeightDependence.Multiplicative : WeightDependence.Additive, p.Nearest ? TracePairing.Nearest : TracePairing.AllToAll);
    }
}
