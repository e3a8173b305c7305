namespace SpikeSim.Simulator.Engines;

/// <summary>Settings of the event engine.</summary>
/// <param name="Seed">Seeds the engine's random streams (Poisson sources and inputs); networks carry their own seed.</param>
public sealed record EventOptions(ulong Seed = 1);
