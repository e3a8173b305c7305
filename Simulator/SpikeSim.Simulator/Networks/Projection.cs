using SpikeSim.Simulator.Plasticity;
using SpikeSim.Simulator.Synapses;

namespace SpikeSim.Simulator.Networks;

/// <summary>
/// Synapses from one population onto one input channel of another, with a conduction delay
/// (in ms) used where the connectivity has no per-synapse delays, and optionally a learning rule.
/// </summary>
public sealed record Projection(Population Source, Population Target, Connectivity Connectivity, int Channel, double DelayMs,
    IPlasticityRule? Plasticity = null)
{
    /// <inheritdoc />
    public override string ToString() => $"{Source.Name} → {Target.Name}[{Channel}] ({Connectivity.SynapseCount} synapses)";
}
