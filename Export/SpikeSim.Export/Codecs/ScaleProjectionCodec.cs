using SpikeSim.Export.Proto;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Synapses;

namespace SpikeSim.Export.Codecs;

/// <summary><see cref="OneToOneConnectivity"/> as NIR's <c>Scale</c>: one weight per neuron, with the projection's channel and delay.</summary>
public sealed class ScaleProjectionCodec : ProjectionCodec<OneToOneConnectivity>
{
    /// <inheritdoc />
    protected override Node.KindOneofCase Kind => Node.KindOneofCase.Scale;

    /// <inheritdoc />
    protected override void Write(Projection p, OneToOneConnectivity c, Node node, RuleCodecs rules, RuleWriting context)
        => node.Scale = new Scale { Scale_ = Tensors.F32(c.Weights), Channel = (uint)p.Channel, DelayMs = p.DelayMs };

    /// <inheritdoc />
    public override ProjectionRead Read(Node node, Population source, Population target, RuleCodecs rules, RuleReading context)
        => new(new OneToOneConnectivity(Tensors.Floats(node.Scale.Scale_, node.Name, source.Size)), (int)node.Scale.Channel, node.Scale.DelayMs);
}
