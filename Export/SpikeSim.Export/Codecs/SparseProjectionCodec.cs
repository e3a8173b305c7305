using SpikeSim.Export.Proto;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Synapses;

namespace SpikeSim.Export.Codecs;

/// <summary>
/// <see cref="SparseConnectivity"/> as a <c>SparseProjection</c> node: CSR rows (row_start, target_index, weight), per-synapse
/// delays where set, and the projection's learning rule by its rule codec.
/// </summary>
public sealed class SparseProjectionCodec : ProjectionCodec<SparseConnectivity>
{
    /// <inheritdoc />
    protected override Node.KindOneofCase Kind => Node.KindOneofCase.Sparse;

    /// <inheritdoc />
    protected override void Write(Projection p, SparseConnectivity c, Node node, RuleCodecs rules, RuleWriting context)
        => node.Sparse = new SparseProjection
        {
            Sources = (uint)c.Sources, Targets = (uint)c.Targets, RowStart = Tensors.I32(c.RowStart), TargetIndex = Tensors.I32(c.TargetIndex),
            Weight = Tensors.F32(c.Weights), DelayMs = c.DelaysMs is null ? null : Tensors.F32(c.DelaysMs), Channel = (uint)p.Channel,
            UniformDelayMs = p.DelayMs, Plasticity = p.Plasticity is null ? null : rules.Write(node.Name, p.Plasticity, context),
        };

    /// <inheritdoc />
    public override ProjectionRead Read(Node node, Population source, Population target, RuleCodecs rules, RuleReading context)
    {
        var s = node.Sparse;
        if (s.Sources != source.Size || s.Targets != target.Size)
            throw new SpikeSimException($"Projection '{node.Name}' is {s.Sources}×{s.Targets} but joins populations of {source.Size} and {target.Size}.");
        var targets = Tensors.Ints(s.TargetIndex, node.Name);
        var connectivity = new SparseConnectivity(source.Size, target.Size, Tensors.Ints(s.RowStart, node.Name), targets,
            Tensors.Floats(s.Weight, node.Name, targets.Length), s.DelayMs is { F32.Count: > 0 } d ? Tensors.Floats(d, node.Name, targets.Length) : null);
        return new(connectivity, (int)s.Channel, s.UniformDelayMs, s.Plasticity is null ? null : rules.Read(node.Name, s.Plasticity, context));
    }
}
