using ILGPU;

namespace SpikeSim.Simulator.Compute;

/// <summary>y ← b + α·x, element-wise (with b = y it is the BLAS axpy).</summary>
public readonly struct AxpyKernel(ArrayView<float> y, ArrayView<float> b, float alpha, ArrayView<float> x) : IRangeKernel
{
    private readonly ArrayView<float> _y = y, _b = b, _x = x;
    private readonly float _alpha = alpha;

    /// <inheritdoc />
    public void Execute(int i) => _y[i] = _b[i] + _alpha * _x[i];

    /// <inheritdoc />
    public void ExecuteRange(int start, int end)
    {
        Span<float> y = _y.AsSpan(), b = _b.AsSpan(), x = _x.AsSpan();
        for (var i = start; i < end; i++) y[i] = b[i] + _alpha * x[i];
    }
}
