using SpikeSim.Simulator.Networks;

namespace SpikeSim.Simulator.Inputs;

/// <summary>
/// What a network receives from outside its populations, into <see cref="Target"/>: an injected current
/// (<see cref="CurrentInput"/>), Poisson spike trains (<see cref="PoissonInput"/>) or a fresh random current each step
/// (<see cref="NoiseCurrentInput"/>). Each kind is run by the engines' own kernels, so the kinds are the library's (a new
/// one needs engine support); the model file writes each with its codec (<c>Export/Codecs/</c>).
/// </summary>
public abstract record NetworkInput(Population Target)
{
    /// <summary>Refuses values the engines cannot run, naming the target.</summary>
    internal abstract void Validate();
}
