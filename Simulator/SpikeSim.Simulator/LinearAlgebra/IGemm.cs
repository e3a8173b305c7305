using ILGPU;

namespace SpikeSim.Simulator.LinearAlgebra;

/// <summary>
/// Dense single-precision matrix product on a backend's buffers, all matrices dense and row-major:
/// <c>C ← α·op(A)·op(B) + β·C</c> with op(A) of shape m×k, op(B) of shape k×n and C of shape m×n.
/// A stored untransposed is m×k (transposed: k×m); B untransposed is k×n (transposed: n×k).
/// Where β = 0, C is written without being read (NaNs in it do not propagate), as in BLAS.
/// </summary>
/// <remarks>
/// <see cref="Gemm.For"/> picks the implementation: cuBLAS on CUDA, a blocked SIMD kernel in C# on
/// the host launcher, and a plain kernel on other ILGPU accelerators (used by the tests).
/// </remarks>
public interface IGemm : IDisposable
{
    /// <summary>Computes <c>C ← α·op(A)·op(B) + β·C</c>.</summary>
    void Multiply(MatrixOp opA, MatrixOp opB, int m, int n, int k,
        float alpha, ArrayView<float> a, ArrayView<float> b, float beta, ArrayView<float> c);
}
