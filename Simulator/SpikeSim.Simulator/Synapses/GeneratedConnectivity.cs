namespace SpikeSim.Simulator.Synapses;

/// <summary>
/// Connectivity given by a rule and a seed instead of arrays, as NEST's <c>conn_spec</c>: the network description stays a
/// few numbers however many synapses it has, and engines and exporters generate the synapses when they build. Generation
/// draws every synapse from counter-based random numbers, so it is the same for any thread count and on any device.
/// </summary>
public abstract record GeneratedConnectivity(int Sources, int Targets) : Connectivity(Sources, Targets)
{
    /// <summary>The synapses in CSR form by source, with per-synapse delays in ms, generated on up to <paramref name="threads"/> threads.</summary>
    public abstract SparseConnectivity Generate(int threads);

    /// <inheritdoc />
    public override Connectivity Explicit(int threads) => Generate(threads);
}
