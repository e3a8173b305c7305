using SpikeSim.Learning.Layers;
using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Learning.Plasticity.Kernels;

/// <summary>
/// Shapes and derived constants of a <see cref="SpikingPlasticRnn"/>, computed once on the host: β = exp(−Δt/τ_mem),
/// λ = exp(−Δt/τ_trace), a spike's step into the trace, the readout width K = actions + 2 (policy, value, modulator) and the variant as 0/1 flags.
/// </summary>
public readonly record struct PlasticRnnConstants(
    int Batch, int Inputs, int Hidden, int Actions, float Beta, float TraceDecay, float TraceGain, float Threshold, int Plastic, int Modulated)
{
    /// <summary>Readout rows: <see cref="Actions"/> policy logits, then the value, then the modulator.</summary>
    public int Heads => Actions + 2;

    /// <summary>Column of the value in a readout row.</summary>
    public int ValueHead => Actions;

    /// <summary>Column of the modulator's pre-activation in a readout row.</summary>
    public int ModulatorHead => Actions + 1;

    /// <summary>The LIF step of the trainable layers (β, θ, subtractive reset, no adaptation), which this network's neurons share.</summary>
    public AdaptiveLifConstants Scan => AdaptiveLifConstants.WithoutAdaptation(
        new LifConstants(LeakyIntegratorConstants.Discrete(Beta), new SpikeRule(Threshold, 0, SpikeComparison.Greater, ResetMode.SubtractAtNextStep, 0)));

    /// <summary>Elements of one step of a [batch, hidden] tape.</summary>
    public int Neurons => Batch * Hidden;

    /// <summary>Elements of one step of the plastic component P [batch, hidden, hidden].</summary>
    public long Synapses => (long)Batch * Hidden * Hidden;
}
