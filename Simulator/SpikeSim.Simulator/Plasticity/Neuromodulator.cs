using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Networks;

namespace SpikeSim.Simulator.Plasticity;

/// <summary>
/// A neuromodulator (dopamine, say) as a concentration n that decays with τ_n (NEST's <c>tau_n</c>):
/// n ← n·e^(−dt/τ_n) + releases. Releases come from the simulation's <c>Release</c> (reward events)
/// and, where <see cref="Source"/> is set, from that population's spikes, <see cref="PerSpike"/> each.
/// This is a description; the concentration itself lives in the engine.
/// </summary>
public sealed record Neuromodulator(double TauNMs = 200, Population? Source = null, double PerSpike = 0)
{
    internal void Validate(double dtMs)
    {
        Neurons.Discretization.CheckTimeConstant("tau_n", TauNMs, dtMs);
        if (!double.IsFinite(PerSpike)) throw new InvalidParameterException("A neuromodulator's release per spike must be finite.");
    }
}
