using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Plasticity;
using ProtoPlasticity = SpikeSim.Export.Proto.Plasticity;

namespace SpikeSim.Export.Codecs;

/// <summary>
/// <see cref="ThreeFactorStdp"/> as a <c>ThreeFactorStdp</c> message: its pairing, eligibility and learning rate, and its
/// neuromodulator by the file's name for it (with τ_n, source and release per spike, so any projection defines it).
/// </summary>
public sealed class ThreeFactorStdpCodec : RuleCodec<ThreeFactorStdp>
{
    /// <inheritdoc />
    protected override ProtoPlasticity.RuleOneofCase Kind => ProtoPlasticity.RuleOneofCase.ThreeFactorStdp;

    /// <inheritdoc />
    protected override ProtoPlasticity Write(ThreeFactorStdp r, RuleWriting context) => new()
    {
        ThreeFactorStdp = new Proto.ThreeFactorStdp
        {
            Pairing = PairStdpCodec.Message(r.Pairing), TauCMs = r.TauCMs, LearningRate = r.LearningRate, B = r.B,
            Modulator = context.Name(r.Modulator), TauNMs = r.Modulator.TauNMs, ModulatorSource = r.Modulator.Source?.Name ?? "",
            PerSpike = r.Modulator.PerSpike, Lava = LavaRules.ThreeFactor(r, context.DtMs),
        },
    };

    /// <inheritdoc />
    protected override ThreeFactorStdp ReadRule(ProtoPlasticity plasticity, RuleReading context)
    {
        var r = plasticity.ThreeFactorStdp;
        var modulator = context.Modulator(r.Modulator, r.TauNMs, r.ModulatorSource, r.PerSpike);
        var pairing = r.Pairing ?? throw new SpikeSimException($"Projection '{context.Projection}' has a three-factor rule without its pairing.");
        return new ThreeFactorStdp(PairStdpCodec.Rule(pairing, context.Projection), modulator, r.TauCMs, r.LearningRate, r.B);
    }
}
