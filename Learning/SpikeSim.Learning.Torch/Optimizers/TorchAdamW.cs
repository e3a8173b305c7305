using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SpikeSim.Learning.Torch.Optimizers;

/// <summary>
/// Adam with decoupled weight decay (Loshchilov &amp; Hutter 2019), as <c>torch.optim.AdamW</c> (no AMSGrad), with held
/// scalars (see <see cref="TorchOptimizer"/>):
/// <code>
/// θ ← θ·(1 − η·λ)                 (only when λ ≠ 0: the factor is exactly 1 otherwise)
/// m ← β₁·m + (1 − β₁)·g,   v ← β₂·v + (1 − β₂)·g²
/// θ ← θ − η/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
/// </code>
/// With λ = 0 this is also <c>torch.optim.Adam</c>'s update.
/// </summary>
public sealed class TorchAdamW : TorchOptimizer
{
    private readonly double _beta1, _beta2, _weightDecay;
    private readonly Scalar _b1, _oneMinusB1, _b2, _oneMinusB2, _eps;
    private readonly (Tensor M, Tensor V)[] _moments;

    public TorchAdamW(IEnumerable<Parameter> parameters, double learningRate, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 0) : base(parameters, learningRate)
    {
        (_beta1, _beta2, _weightDecay) = (beta1, beta2, weightDecay);
        (_b1, _oneMinusB1, _b2, _oneMinusB2, _eps) = (beta1.ToScalar(), (1 - beta1).ToScalar(), beta2.ToScalar(), (1 - beta2).ToScalar(), epsilon.ToScalar());
        using var _ = no_grad();
        _moments = Parameters.Select(p => (Held(zeros_like(p)), Held(zeros_like(p)))).ToArray();
    }

    protected override void Update(int index, Parameter parameter, Tensor grad, long step)
    {
        if (_weightDecay != 0)
        {
            using var decay = (1 - LearningRate * _weightDecay).ToScalar();
            parameter.mul_(decay);
        }
        var (m, v) = _moments[index];
        m.mul_(_b1).add_(grad, _oneMinusB1);
        v.mul_(_b2).addcmul_(grad, grad, _oneMinusB2);
        using var root = Math.Sqrt(1 - Math.Pow(_beta2, step)).ToScalar();
        using var stepSize = (-(LearningRate / (1 - Math.Pow(_beta1, step)))).ToScalar();
        var denominator = (v.sqrt() / root).add_(_eps, HeldScalars.One);
        parameter.addcdiv_(m, denominator, stepSize);
    }

    public override void Dispose()
    {
        foreach (var (m, v) in _moments) { m.Dispose(); v.Dispose(); }
        foreach (var s in new[] { _b1, _oneMinusB1, _b2, _oneMinusB2, _eps }) s.Dispose();
    }
}
