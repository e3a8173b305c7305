using SpikeSim.Export.Proto;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Synapses;

namespace SpikeSim.Export.Codecs;

/// <summary>
/// <see cref="DenseConnectivity"/> as NIR's <c>Linear</c>: weight [out, in] (<see cref="DenseConnectivity.TargetMajor"/>),
/// with the projection's channel and delay.
/// </summary>
public sealed class LinearProjectionCodec : ProjectionCodec<DenseConnectivity>
{
    /// <inheritdoc />
    protected override Node.KindOneofCase Kind => Node.KindOneofCase.Linear;

    /// <inheritdoc />
    protected override void Write(Projection p, DenseConnectivity c, Node node, RuleCodecs rules, RuleWriting context)
    {
        node.Linear = new Linear { Weight = Tensors.F32(c.TargetMajor(), c.Targets, c.Sources), Channel = (uint)p.Channel, DelayMs = p.DelayMs };
    }

    /// <inheritdoc />
    public override ProjectionRead Read(Node node, Population source, Population target, RuleCodecs rules, RuleReading context)
    {
        var weight = Tensors.Floats(node.Linear.Weight, node.Name, source.Size * target.Size);
        return new(DenseConnectivity.FromTargetMajor(source.Size, target.Size, weight), (int)node.Linear.Channel, node.Linear.DelayMs);
    }
}
