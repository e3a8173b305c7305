using ILGPU;

namespace SpikeSim.Simulator.LinearAlgebra;

/// <summary>Argument checks shared by every <see cref="IGemm"/>.</summary>
internal static class GemmShape
{
    public static void Check(int m, int n, int k, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c)
    {
        if (m < 0 || n < 0 || k < 0) throw new ArgumentOutOfRangeException(nameof(m), $"GEMM sizes must not be negative (m={m}, n={n}, k={k}).");
        if (a.Length < (long)m * k) throw new ArgumentException($"A holds {a.Length} elements; {m}×{k} needs {(long)m * k}.", nameof(a));
        if (b.Length < (long)k * n) throw new ArgumentException($"B holds {b.Length} elements; {k}×{n} needs {(long)k * n}.", nameof(b));
        if (c.Length < (long)m * n) throw new ArgumentException($"C holds {c.Length} elements; {m}×{n} needs {(long)m * n}.", nameof(c));
    }

    /// <summary>Index of op(X)(row, col) in a row-major X whose op is rows×cols.</summary>
    public static long Index(MatrixOp op, int row, int col, int rows, int cols)
        => op == MatrixOp.None ? (long)row * cols + col : (long)col * rows + row;
}
