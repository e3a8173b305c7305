using SpikeSim.Export.Proto;
using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Export.Codecs;

/// <summary><see cref="Lif"/> as a <c>LIF</c> node.</summary>
public sealed class LifCodec : NeuronCodec<Lif>
{
    /// <inheritdoc />
    protected override Node.KindOneofCase Kind => Node.KindOneofCase.Lif;

    /// <inheritdoc />
    protected override void Write(Lif m, Node node) => node.Lif = new LIF
    {
        TauMs = m.TauMs, R = m.R, VLeak = m.VLeak, Spiking = SpikingFields.Write(m.VThreshold, m.VReset, m.RefractoryMs, m.Reset, m.Comparison),
        Integrator = SpikingFields.Write(m.Integrator),
    };

    /// <inheritdoc />
    protected override Lif ReadModel(Node node)
    {
        var (threshold, reset, refractory, mode, comparison) = SpikingFields.Read(node.Lif.Spiking, node.Name);
        return new Lif(node.Lif.TauMs, node.Lif.R, node.Lif.VLeak, threshold, reset, refractory, mode, SpikingFields.Read(node.Lif.Integrator), comparison);
    }
}
