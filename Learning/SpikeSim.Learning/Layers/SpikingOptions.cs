using SpikeSim.Learning.Surrogates;

namespace SpikeSim.Learning.Layers;

/// <summary>How a spiking layer is discretised, differentiated and initialised.</summary>
/// <param name="Surrogate">The pseudo-derivative of the spike.</param>
/// <param name="DtMs">Time step in ms; with the cell's τ it fixes β and ρ.</param>
/// <param name="Reset">Whether the reset enters the gradient.</param>
/// <param name="Forward">Binary spikes, or the smooth forward used for gradient checks.</param>
/// <param name="InitGain">Gain g of <see cref="WeightInit"/>.</param>
public sealed record SpikingOptions(
    Surrogate Surrogate,
    double DtMs = 1.0,
    ResetGradient Reset = ResetGradient.Detached,
    SpikeForward Forward = SpikeForward.Step,
    float InitGain = 1f)
{
    /// <summary>Fast sigmoid with slope 10, Δt = 1 ms, detached reset, binary spikes.</summary>
    public static SpikingOptions Default { get; } = new(new FastSigmoidSurrogate());
}
