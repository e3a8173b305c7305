using SpikeSim.Export.Proto;
using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Export.Codecs;

/// <summary><see cref="AdaptiveLif"/> as an <c>ALIF</c> node.</summary>
public sealed class AdaptiveLifCodec : NeuronCodec<AdaptiveLif>
{
    /// <inheritdoc />
    protected override Node.KindOneofCase Kind => Node.KindOneofCase.Alif;

    /// <inheritdoc />
    protected override void Write(AdaptiveLif m, Node node)
    {
        ResetModes.CheckEitherTiming(nameof(AdaptiveLif), m.Reset, m.VThreshold, m.VReset, m.RefractoryMs, m.Comparison);
        node.Alif = new ALIF
        {
            TauMs = m.TauMs, TauAdaptMs = m.TauAdaptMs, Beta = m.Beta, R = m.R, VLeak = m.VLeak,
            Spiking = SpikingFields.Write(m.VThreshold, m.VReset, m.RefractoryMs, m.Reset, m.Comparison), Integrator = SpikingFields.Write(m.Integrator),
        };
    }

    /// <inheritdoc />
    protected override AdaptiveLif ReadModel(Node node)
    {
        var a = node.Alif;
        var (threshold, reset, refractory, mode, comparison) = SpikingFields.Read(a.Spiking, node.Name);
        return new AdaptiveLif(a.TauMs, a.TauAdaptMs, a.Beta, a.R, a.VLeak, threshold, reset, refractory, mode, SpikingFields.Read(a.Integrator), comparison);
    }
}
