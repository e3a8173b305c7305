using ILGPU;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Simulator.LinearAlgebra;

/// <summary>
/// One element of <c>C ← α·op(A)·op(B) + β·C</c> per index (row-major, see <see cref="IGemm"/>).
/// Plain and slow: it serves ILGPU accelerators without a BLAS (the CPU emulator, OpenCL) and is
/// the reference the fast implementations are tested against.
/// </summary>
public readonly struct NaiveGemmKernel : IRangeKernel
{
    private readonly ArrayView<float> _a, _b, _c;
    private readonly int _m, _n, _k, _transA, _transB;
    private readonly float _alpha, _beta;

    /// <summary>Creates the kernel; launch it over m·n indices.</summary>
    public NaiveGemmKernel(MatrixOp opA, MatrixOp opB, int m, int n, int k,
        float alpha, ArrayView<float> a, ArrayView<float> b, float beta, ArrayView<float> c)
    {
        (_a, _b, _c, _m, _n, _k, _alpha, _beta) = (a, b, c, m, n, k, alpha, beta);
        _transA = opA == MatrixOp.Transpose ? 1 : 0;
        _transB = opB == MatrixOp.Transpose ? 1 : 0;
    }

    /// <inheritdoc />
    public void Execute(int index)
    {
        var i = index / _n;
        var j = index - i * _n;
        var sum = 0f;
        for (var p = 0; p < _k; p++)
        {
            var a = _transA == 0 ? _a[(long)i * _k + p] : _a[(long)p * _m + i];
            var b = _transB == 0 ? _b[(long)p * _n + j] : _b[(long)j * _k + p];
            sum += a * b;
        }
        _c[index] = _beta == 0f ? _alpha * sum : _alpha * sum + _beta * _c[index];
    }

    /// <inheritdoc />
    public void ExecuteRange(int start, int end)
    {
        Span<float> a = _a.AsSpan(), b = _b.AsSpan(), c = _c.AsSpan();
        for (var index = start; index < end; index++)
        {
            var i = index / _n;
            var j = index - i * _n;
            var sum = 0f;
            for (var p = 0; p < _k; p++)
                sum += (_transA == 0 ? a[i * _k + p] : a[p * _m + i]) * (_transB == 0 ? b[p * _n + j] : b[j * _k + p]);
            c[index] = _beta == 0f ? _alpha * sum : _alpha * sum + _beta * c[index];
        }
    }
}

/// <summary><see cref="IGemm"/> through <see cref="NaiveGemmKernel"/> on any backend.</summary>
public sealed class KernelGemm(IComputeBackend backend) : IGemm
{
    /// <inheritdoc />
    public void Multiply(MatrixOp opA, MatrixOp opB, int m, int n, int k,
        float alpha, ArrayView<float> a, ArrayView<float> b, float beta, ArrayView<float> c)
    {
        GemmShape.Check(m, n, k, a, b, c);
        backend.Launch(m * n, new NaiveGemmKernel(opA, opB, m, n, k, alpha, a, b, beta, c));
    }

    /// <inheritdoc />
    public void Dispose() { }
}
