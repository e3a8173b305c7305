namespace SpikeSim.Learning.Layers;

/// <summary>
/// The per-step constants of the spiking scan, derived once on the host from a cell's parameters
/// in physical units (kernels never call exp):
/// β = e^(−Δt/τ_mem), ρ = e^(−Δt/τ_adapt), θ the threshold, b the adaptation strength.
/// </summary>
public readonly struct ScanConstants(float beta, float threshold, float rho, float adaptation, SpikeReset reset = SpikeReset.Subtract)
{
    /// <summary>1 where a spike resets the membrane to zero, 0 where it subtracts θ (an int: kernels take no enums or bools).</summary>
    public readonly int ResetToZero = reset == SpikeReset.ToZero ? 1 : 0;

    /// <summary>Membrane decay per step, β.</summary>
    public readonly float Beta = beta;

    /// <summary>Threshold θ (also the amount subtracted at a spike).</summary>
    public readonly float Threshold = threshold;

    /// <summary>Adaptation decay per step, ρ (unused where b = 0).</summary>
    public readonly float Rho = rho;

    /// <summary>Adaptation strength b: the threshold rises by b per unit of the adaptation trace.</summary>
    public readonly float Adaptation = adaptation;

    /// <summary>
    /// One step of one neuron of the scan, the one place its membrane update is written (training scans and the
    /// plastic recurrent network call it): a ← ρ·a + s, then u ← β·u + h − θ·s (or u ← β·u·(1 − s) + h where a
    /// spike resets to zero), with s the previous step's spike. Returns the margin x = u − θ − b·a; the neuron
    /// spikes where x &gt; 0.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public float Integrate(ref float u, ref float a, float s, float h)
    {
        a = Rho * a + s;
        u = ResetToZero != 0 ? Beta * u * (1f - s) + h : Beta * u + h - Threshold * s;
        return u - Threshold - Adaptation * a;
    }
}

/// <summary>
/// A spiking neuron of a trainable layer. Every cell runs the same discrete scan (per neuron and sample),
/// with h[t] the layer's input current (weights times inputs plus bias):
/// <code>
/// a[t] = ρ·a[t−1] + s[t−1]                     adaptation trace (ALIF only; b = 0 for LIF)
/// u[t] = β·u[t−1] + h[t] − θ·s[t−1]             leaky integration, reset by subtraction (default)
/// u[t] = β·u[t−1]·(1 − s[t−1]) + h[t]            or reset to zero (SpikeReset.ToZero; Norse's and Loihi's)
/// s[t] = H(u[t] − θ − b·a[t])                   spike where the membrane is strictly above the (adaptive) threshold
/// </code>
/// with u[−1] = a[−1] = s[−1] = 0. The input enters unscaled (no (1 − β) factor), as in snnTorch's Leaky.
/// </summary>
public interface ISpikingCell
{
    /// <summary>The constants of the scan at time step <paramref name="dtMs"/>.</summary>
    ScanConstants Discretize(double dtMs);

    /// <summary>Membrane time constant in ms.</summary>
    double TauMemMs { get; }

    /// <summary>Threshold θ.</summary>
    double VThreshold { get; }

    /// <summary>What a spike does to the membrane.</summary>
    SpikeReset Reset { get; }
}

/// <summary>What a spike does to the membrane of a trainable cell.</summary>
public enum SpikeReset
{
    /// <summary>u ← u − θ (snnTorch's default).</summary>
    Subtract,

    /// <summary>u ← 0 (Norse's default, and Loihi's).</summary>
    ToZero,
}

/// <summary>Leaky integrate-and-fire cell: the scan of <see cref="ISpikingCell"/> with b = 0.</summary>
public sealed record LifCell(double TauMemMs = 10.0, double VThreshold = 1.0, SpikeReset Reset = SpikeReset.Subtract) : ISpikingCell
{
    /// <inheritdoc />
    public ScanConstants Discretize(double dtMs)
    {
        Validate.Positive(TauMemMs, nameof(TauMemMs));
        Validate.Positive(VThreshold, nameof(VThreshold));
        return new((float)Math.Exp(-dtMs / TauMemMs), (float)VThreshold, 0f, 0f, Reset);
    }
}

/// <summary>
/// Adaptive LIF cell (Bellec et al. 2018, LSNN): the threshold rises by b after each spike and relaxes
/// with τ_adapt, the scan of <see cref="ISpikingCell"/> with b &gt; 0.
/// </summary>
public sealed record AlifCell(double TauMemMs = 20.0, double VThreshold = 1.0, double TauAdaptMs = 200.0, double AdaptationStrength = 1.8,
    SpikeReset Reset = SpikeReset.Subtract) : ISpikingCell
{
    /// <inheritdoc />
    public ScanConstants Discretize(double dtMs)
    {
        Validate.Positive(TauMemMs, nameof(TauMemMs));
        Validate.Positive(VThreshold, nameof(VThreshold));
        Validate.Positive(TauAdaptMs, nameof(TauAdaptMs));
        Validate.NonNegative(AdaptationStrength, nameof(AdaptationStrength));
        return new((float)Math.Exp(-dtMs / TauMemMs), (float)VThreshold, (float)Math.Exp(-dtMs / TauAdaptMs), (float)AdaptationStrength, Reset);
    }
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
