using ILGPU;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Learning.Optimizers;

/// <summary>
/// One Adam step with decoupled weight decay (AdamW, Loshchilov &amp; Hutter 2019), element-wise:
/// m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², w ← w − lr·(m·c₁ / (√(v·c₂) + ε) + λ·w), where the bias
/// corrections c₁ = 1/(1−β₁ᵗ), c₂ = 1/(1−β₂ᵗ) are computed on the host for step t.
/// </summary>
public readonly struct AdamKernel(ArrayView<float> w, ArrayView<float> g, ArrayView<float> m, ArrayView<float> v,
    float lr, float beta1, float beta2, float epsilon, float weightDecay, float correction1, float correction2) : IRangeKernel
{
    private readonly ArrayView<float> _w = w, _g = g, _m = m, _v = v;
    private readonly float _lr = lr, _beta1 = beta1, _beta2 = beta2, _eps = epsilon, _decay = weightDecay, _c1 = correction1, _c2 = correction2;

    /// <inheritdoc />
    public void Execute(int i)
    {
        var g = _g[i];
        var m = _beta1 * _m[i] + (1f - _beta1) * g;
        var v = _beta2 * _v[i] + (1f - _beta2) * g * g;
        _m[i] = m;
        _v[i] = v;
        _w[i] -= _lr * (m * _c1 / (MathF.Sqrt(v * _c2) + _eps) + _decay * _w[i]);
    }

    /// <inheritdoc />
    public void ExecuteRange(int start, int end)
    {
        for (var i = start; i < end; i++) Execute(i);
    }
}

/// <summary>
/// One SGD step with momentum (PyTorch's form) and L2 weight decay:
/// d ← g + λ·w, b ← μ·b + d, w ← w − lr·b.
/// </summary>
public readonly struct SgdMomentumKernel(ArrayView<float> w, ArrayView<float> g, ArrayView<float> buffer,
    float lr, float momentum, float weightDecay) : IRangeKernel
{
    private readonly ArrayView<float> _w = w, _g = g, _b = buffer;
    private readonly float _lr = lr, _mu = momentum, _decay = weightDecay;

    /// <inheritdoc />
    public void Execute(int i)
    {
        var b = _mu * _b[i] + _g[i] + _decay * _w[i];
        _b[i] = b;
        _w[i] -= _lr * b;
    }

    /// <inheritdoc />
    public void ExecuteRange(int start, int end)
    {
        for (var i = start; i < end; i++) Execute(i);
    }
}

/// <summary>x ← α·x, element-wise (gradient clipping).</summary>
public readonly struct ScaleKernel(ArrayView<float> x, float alpha) : IRangeKernel
{
    private readonly ArrayView<float> _x = x;
    private readonly float _alpha = alpha;

    /// <inheritdoc />
    public void Execute(int i) => _x[i] *= _alpha;

    /// <inheritdoc />
    public void ExecuteRange(int start, int end)
    {
        for (var i = start; i < end; i++) _x[i] *= _alpha;
    }
}
