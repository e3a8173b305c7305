using SpikeSim.Simulator.Synapses;

namespace SpikeSim.Simulator.Engines;

/// <summary>Settings of the time-step engine.</summary>
/// <param name="DtMs">The step, in ms.</param>
/// <param name="Propagation">How dense projections deliver spikes (sparse ones are always spike-driven).</param>
/// <param name="Seed">Seeds the engine's random streams (Poisson sources); networks carry their own seed.</param>
public sealed record TimeStepOptions(double DtMs = 0.1, PropagationMode Propagation = PropagationMode.Auto, ulong Seed = 1);
