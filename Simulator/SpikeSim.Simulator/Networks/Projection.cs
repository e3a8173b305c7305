using SpikeSim.Simulator.Synapses;

namespace SpikeSim.Simulator.Networks;

/// <summary>
/// Synapses from one population onto one input channel of another, with a conduction delay
/// (in ms) used where the connectivity has no per-synapse delays.
/// </summary>
public sealed record Projection(Population Source, Population Target, Connectivity Connectivity, int Channel, double DelayMs)
{
    /// <inheritdoc />
    public override string ToString() => $"{Source.Name} → {Target.Name}[{Channel}] ({Connectivity.SynapseCount} synapses)";
}
