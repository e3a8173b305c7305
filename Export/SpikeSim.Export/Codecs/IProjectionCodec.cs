using SpikeSim.Export.Proto;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Plasticity;
using SpikeSim.Simulator.Synapses;

namespace SpikeSim.Export.Codecs;

/// <summary>
/// One kind of projection in the SpikeSim model file: how a connectivity becomes a node (with the projection's channel,
/// delay and learning rule) and back. The writer and reader loop over <see cref="ModelCodecs.Projections"/> and name no
/// connectivity themselves. Generated connectivities (fixed probability, fixed total number) are written in their explicit form.
/// </summary>
public interface IProjectionCodec
{
    /// <summary>The explicit connectivity type this codec writes.</summary>
    Type ConnectivityType { get; }

    /// <summary>Whether <paramref name="node"/> is of the kind this codec reads.</summary>
    bool Reads(Node node);

    /// <summary>Sets <paramref name="node"/>'s kind to projection <paramref name="projection"/>, whose explicit connectivity is <paramref name="connectivity"/>.</summary>
    void Write(Projection projection, Connectivity connectivity, Node node, RuleCodecs rules, RuleWriting context);

    /// <summary>The projection <paramref name="node"/> describes from <paramref name="source"/> to <paramref name="target"/>; refuses bad values naming the node.</summary>
    ProjectionRead Read(Node node, Population source, Population target, RuleCodecs rules, RuleReading context);
}

/// <summary>A projection as a file describes it: what <see cref="Network.Connect"/> takes.</summary>
public readonly record struct ProjectionRead(Connectivity Connectivity, int Channel, double DelayMs, IPlasticityRule? Rule = null);

/// <summary>A codec of projections whose connectivity is <typeparamref name="TConnectivity"/>, stored as node kind <see cref="Kind"/>.</summary>
public abstract class ProjectionCodec<TConnectivity> : IProjectionCodec where TConnectivity : Connectivity
{
    /// <summary>The node kind this connectivity is written as.</summary>
    protected abstract Node.KindOneofCase Kind { get; }

    /// <inheritdoc />
    public Type ConnectivityType => typeof(TConnectivity);

    /// <inheritdoc />
    public bool Reads(Node node) => node.KindCase == Kind;

    /// <inheritdoc />
    public void Write(Projection projection, Connectivity connectivity, Node node, RuleCodecs rules, RuleWriting context)
        => Write(projection, (TConnectivity)connectivity, node, rules, context);

    /// <inheritdoc />
    public abstract ProjectionRead Read(Node node, Population source, Population target, RuleCodecs rules, RuleReading context);

    /// <summary>Sets the node's kind from the projection.</summary>
    protected abstract void Write(Projection projection, TConnectivity connectivity, Node node, RuleCodecs rules, RuleWriting context);
}
