using SpikeSim.Export.Proto;
using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Export.Codecs;

/// <summary><see cref="IntegrateAndFire"/> as an <c>IF</c> node.</summary>
public sealed class IntegrateAndFireCodec : NeuronCodec<IntegrateAndFire>
{
    /// <inheritdoc />
    protected override Node.KindOneofCase Kind => Node.KindOneofCase.If;

    /// <inheritdoc />
    protected override void Write(IntegrateAndFire m, Node node)
        => node.If = new IF { R = m.R, Spiking = SpikingFields.Write(m.VThreshold, m.VReset, m.RefractoryMs, m.Reset, m.Comparison) };

    /// <inheritdoc />
    protected override IntegrateAndFire ReadModel(Node node)
    {
        var (threshold, reset, refractory, mode, comparison) = SpikingFields.Read(node.If.Spiking, node.Name);
        return new IntegrateAndFire(node.If.R, threshold, reset, refractory, mode, comparison);
    }
}
