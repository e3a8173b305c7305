using SpikeSim.Export.Proto;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Synapses;

namespace SpikeSim.Export.Codecs;

/// <summary>
/// <see cref="DenseConnectivity"/> as NIR's <c>Linear</c>: weight [out, in] (SpikeSim stores [in, out], so this codec
/// transposes both ways), with the projection's channel and delay.
/// </summary>
public sealed class LinearProjectionCodec : ProjectionCodec<DenseConnectivity>
{
    /// <inheritdoc />
    protected override Node.KindOneofCase Kind => Node.KindOneofCase.Linear;

    /// <inheritdoc />
    protected override void Write(Projection p, DenseConnectivity c, Node node, RuleCodecs rules, RuleWriting context)
    {
        var transposed = new float[c.Weights.Length];
        for (var i = 0; i < c.Sources; i++)
            for (var j = 0; j < c.Targets; j++) transposed[j * c.Sources + i] = c.Weights[i * c.Targets + j];
        node.Linear = new Linear { Weight = Tensors.F32(transposed, c.Targets, c.Sources), Channel = (uint)p.Channel, DelayMs = p.DelayMs };
    }

    /// <inheritdoc />
    public override ProjectionRead Read(Node node, Population source, Population target, RuleCodecs rules, RuleReading context)
    {
        var weight = Tensors.Floats(node.Linear.Weight, node.Name, source.Size * target.Size);
        var sourceMajor = new float[weight.Length];
        for (var j = 0; j < target.Size; j++)
            for (var i = 0; i < source.Size; i++) sourceMajor[i * target.Size + j] = weight[j * source.Size + i];
        return new(new DenseConnectivity(source.Size, target.Size, sourceMajor), (int)node.Linear.Channel, node.Linear.DelayMs);
    }
}
