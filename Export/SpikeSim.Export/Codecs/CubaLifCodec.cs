using SpikeSim.Export.Proto;
using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Export.Codecs;

/// <summary><see cref="CubaLif"/> as a <c>CubaLIF</c> node (two synaptic time constants, channels 0 and 1).</summary>
public sealed class CubaLifCodec : NeuronCodec<CubaLif>
{
    /// <inheritdoc />
    protected override Node.KindOneofCase Kind => Node.KindOneofCase.CubaLif;

    /// <inheritdoc />
    protected override void Write(CubaLif m, Node node) => node.CubaLif = new CubaLIF
    {
        TauMemMs = m.TauMemMs, TauSynExcMs = m.TauSynExcMs, TauSynInhMs = m.TauSynInhMs, R = m.R, VLeak = m.VLeak,
        Spiking = SpikingFields.Write(m.VThreshold, m.VReset, m.RefractoryMs, m.Reset, m.Comparison), Integrator = SpikingFields.Write(m.Integrator),
    };

    /// <inheritdoc />
    protected override CubaLif ReadModel(Node node)
    {
        var c = node.CubaLif;
        var (threshold, reset, refractory, mode, comparison) = SpikingFields.Read(c.Spiking, node.Name);
        return new CubaLif(c.TauMemMs, c.TauSynExcMs, c.TauSynInhMs, c.R, c.VLeak, threshold, reset, refractory, mode, SpikingFields.Read(c.Integrator), comparison);
    }
}
