namespace SpikeSim.Simulator.Neurons;

/// <summary>What a spiking neuron's membrane does after a spike.</summary>
public enum ResetMode
{
    /// <summary>v ← v_reset.</summary>
    ToValue,
    /// <summary>v ← v − (v_threshold − v_reset); with v_reset = 0 this is snnTorch's and Norse's "subtract".</summary>
    Subtract,
}

/// <summary>How a model's linear ODEs are turned into a step of length dt.</summary>
public enum Integrator
{
    /// <summary>The exact solution of the linear ODE over dt with inputs held constant (default).</summary>
    ExactExponential,
    /// <summary>Forward Euler: x ← x + dt·f(x); first order, as several peers' discrete models.</summary>
    ForwardEuler,
}

/// <summary>The threshold test.</summary>
public enum SpikeComparison
{
    /// <summary>Spike when v &gt; v_threshold (Brian2, NEST, NIR).</summary>
    Greater,
    /// <summary>Spike when v ≥ v_threshold.</summary>
    GreaterOrEqual,
}
