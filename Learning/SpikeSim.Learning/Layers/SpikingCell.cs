using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Learning.Layers;

/// <summary>
/// A spiking neuron of a trainable layer. Every cell is a simulator neuron — a <see cref="Lif"/> or an
/// <see cref="AdaptiveLif"/> in discrete time (<see cref="Integrator.DiscreteTime"/>, R = 1, v_leak = 0) with a reset at the
/// next step, its equations, constants and step defined there once — with h[t] the layer's input (weights times inputs plus
/// bias). The scans step by <see cref="AdaptiveLifConstants.StepAtNextStep"/>; LIF is ALIF with b = 0.
/// </summary>
public interface ISpikingCell
{
    /// <summary>The simulator's neuron this cell is: its step is the scan's, so a trained layer runs in the engines unchanged.</summary>
    INeuronModel Neuron { get; }

    /// <summary>The constants of the scan at time step <paramref name="dtMs"/> (the neuron's).</summary>
    AdaptiveLifConstants Discretize(double dtMs);

    /// <summary>Membrane time constant in ms.</summary>
    double TauMemMs { get; }

    /// <summary>Threshold θ.</summary>
    double VThreshold { get; }

    /// <summary>What a spike does to the membrane.</summary>
    ResetMode Reset { get; }
}

/// <summary>Leaky integrate-and-fire cell: the scan of <see cref="ISpikingCell"/> with b = 0.</summary>
public sealed record LifCell(double TauMemMs = 10.0, double VThreshold = 1.0, ResetMode Reset = ResetMode.SubtractAtNextStep) : ISpikingCell
{
    /// <summary>The cell as the simulator's <see cref="Lif"/>.</summary>
    public Lif Lif => new(TauMemMs, R: 1, VLeak: 0, VThreshold, VReset: 0, RefractoryMs: 0, Reset, Integrator.DiscreteTime);

    /// <inheritdoc />
    public INeuronModel Neuron => Lif;

    /// <inheritdoc />
    public AdaptiveLifConstants Discretize(double dtMs) => AdaptiveLifConstants.WithoutAdaptation(Lif.Discretize(dtMs));
}

/// <summary>
/// Adaptive LIF cell (Bellec et al. 2018, LSNN): the threshold rises by b after each spike and relaxes
/// with τ_adapt, the scan of <see cref="ISpikingCell"/> with b &gt; 0.
/// </summary>
public sealed record AlifCell(double TauMemMs = 20.0, double VThreshold = 1.0, double TauAdaptMs = 200.0, double AdaptationStrength = 1.8,
    ResetMode Reset = ResetMode.SubtractAtNextStep) : ISpikingCell
{
    /// <summary>The cell as the simulator's <see cref="AdaptiveLif"/>.</summary>
    public AdaptiveLif Alif => new(TauMemMs, TauAdaptMs, AdaptationStrength, R: 1, VLeak: 0, VThreshold, VReset: 0, RefractoryMs: 0, Reset, Integrator.DiscreteTime);

    /// <inheritdoc />
    public INeuronModel Neuron => Alif;

    /// <inheritdoc />
    public AdaptiveLifConstants Discretize(double dtMs) => Alif.Discretize(dtMs);
}

/// <summary>Which terms of the reset enter the gradient.</summary>
public enum ResetGradient
{
    /// <summary>The reset −θ·s[t−1] is treated as a constant in the backward pass (SpyTorch, snnTorch's default).</summary>
    Detached,

    /// <summary>The reset is differentiated like every other term (the exact gradient of a smooth forward); subtractive reset only.</summary>
    Propagated,
}

/// <summary>The forward nonlinearity of the spiking scan.</summary>
public enum SpikeForward
{
    /// <summary>s = H(x): binary spikes; the surrogate stands in for the derivative.</summary>
    Step,

    /// <summary>s = σ(x), the surrogate's own antiderivative: a smooth network whose gradient is exact (for checks).</summary>
    Smooth,
}
