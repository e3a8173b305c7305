namespace SpikeSim.Learning.Surrogates;

/// <summary>
/// A surrogate for the derivative of the spike nonlinearity s = H(x), with x = v − θ the distance
/// of the membrane above threshold. The backward pass uses <see cref="Derivative"/> in place of the
/// Dirac delta; <see cref="Smooth"/> is its antiderivative (zero at x → −∞), the smooth forward
/// used to check gradients against finite differences. Implementations are small blittable
/// structs, so kernels take them as type arguments and the JIT and ILGPU inline them.
/// </summary>
public interface ISurrogate
{
    /// <summary>σ′(x), the pseudo-derivative of the step.</summary>
    float Derivative(float x);

    /// <summary>σ(x) = ∫₋∞ˣ σ′, a smooth step with the same derivative.</summary>
    float Smooth(float x);
}
