using ILGPU;
using ILGPU.Runtime.Cuda;

namespace SpikeSim.Simulator.LinearAlgebra;

/// <summary>
/// <see cref="IGemm"/> through cuBLAS (ILGPU.Algorithms). cuBLAS is column-major; a row-major
/// <c>C = op(A)·op(B)</c> is the column-major <c>Cᵀ = op(B)ᵀ·op(A)ᵀ</c>, so the operands swap
/// places and keep their ops, with leading dimensions equal to the stored row lengths.
/// </summary>
public sealed class CublasGemm : IGemm
{
    private readonly CuBlas _blas;

    /// <summary>Binds cuBLAS to <paramref name="accelerator"/>'s default stream.</summary>
    public CublasGemm(CudaAccelerator accelerator)
    {
        _blas = new CuBlas(accelerator);
        _blas.Stream = (CudaStream)accelerator.DefaultStream;
    }

    /// <inheritdoc />
    public void Multiply(MatrixOp opA, MatrixOp opB, int m, int n, int k,
        float alpha, ArrayView<float> a, ArrayView<float> b, float beta, ArrayView<float> c)
    {
        GemmShape.Check(m, n, k, a, b, c);
        if (m == 0 || n == 0) return;
        var lda = opA == MatrixOp.None ? k : m;
        var ldb = opB == MatrixOp.None ? n : k;
        _blas.Gemm(Op(opB), Op(opA), n, m, k, alpha, b, Math.Max(ldb, 1), a, Math.Max(lda, 1), beta, c, Math.Max(n, 1));
    }

    private static CuBlasOperation Op(MatrixOp op) => op == MatrixOp.None ? CuBlasOperation.NonTranspose : CuBlasOperation.Transpose;

    /// <inheritdoc />
    public void Dispose() => _blas.Dispose();
}
