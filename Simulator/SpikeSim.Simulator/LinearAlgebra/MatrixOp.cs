namespace SpikeSim.Simulator.LinearAlgebra;

/// <summary>Whether a GEMM operand is used as stored or transposed (BLAS's N and T).</summary>
public enum MatrixOp
{
    /// <summary>The operand as stored.</summary>
    None,

    /// <summary>The transpose of the stored operand.</summary>
    Transpose,
}
