using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Learning.Layers;

/// <summary>
/// A spiking neuron of a trainable layer. Every cell is a simulator <see cref="DiscreteLif"/> — its equations, constants
/// and step are defined there once — with h[t] the layer's input (weights times inputs plus bias); LIF is ALIF with b = 0.
/// </summary>
public interface ISpikingCell
{
    /// <summary>The simulator's neuron this cell is: its step is the scan's, so a trained layer runs in the engines unchanged.</summary>
    DiscreteLif Neuron { get; }

    /// <summary>The constants of the scan at time step <paramref name="dtMs"/> (the neuron's).</summary>
    DiscreteLifConstants Discretize(double dtMs) => Neuron.Discretize(dtMs);

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
    /// <inheritdoc />
    public DiscreteLif Neuron => new(TauMemMs, VThreshold, Reset: Reset);
}

/// <summary>
/// Adaptive LIF cell (Bellec et al. 2018, LSNN): the threshold rises by b after each spike and relaxes
/// with τ_adapt, the scan of <see cref="ISpikingCell"/> with b &gt; 0.
/// </summary>
public sealed record AlifCell(double TauMemMs = 20.0, double VThreshold = 1.0, double TauAdaptMs = 200.0, double AdaptationStrength = 1.8,
    ResetMode Reset = ResetMode.SubtractAtNextStep) : ISpikingCell
{
    /// <inheritdoc />
    public DiscreteLif Neuron => new(TauMemMs, VThreshold, TauAdaptMs, AdaptationStrength, Reset);
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
