using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Networks;

namespace SpikeSim.Simulator.Inputs;

/// <summary>
/// A fresh random current for every neuron in every step, uniform on [<see cref="Low"/>, <see cref="High"/>]:
/// Izhikevich's (2007) "random thalamic input", <c>I = 13·(rand − 0.5)</c> at dt = 1 ms. Draws come from a
/// counter-based generator keyed by (seed, neuron, step), the same on every backend. Noise currents
/// onto one population add to its other currents.
/// </summary>
public sealed record NoiseCurrentInput(Population Target, float Low, float High) : NetworkInput(Target)
{
    internal override void Validate()
    {
        if (!float.IsFinite(Low) || !float.IsFinite(High) || High < Low)
            throw new InvalidParameterException($"A noise current needs finite bounds with low ≤ high (got {Low}, {High}).");
    }
}
