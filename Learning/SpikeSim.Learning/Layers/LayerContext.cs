using ILGPU;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.LinearAlgebra;

namespace SpikeSim.Learning.Layers;

/// <summary>
/// What a layer needs to run one batch: the backend, its GEMM, and the batch geometry. Activations are
/// row-major matrices with <see cref="Rows"/> = steps × batch rows (row t·batch + b) and one column per neuron.
/// </summary>
/// <param name="Backend">The backend the layer's buffers live on.</param>
/// <param name="Gemm">The backend's GEMM.</param>
/// <param name="Steps">Time steps T.</param>
/// <param name="Batch">Samples B.</param>
/// <param name="ErrorFactors">
/// Per-neuron factors that multiply the layer's error ∂L/∂h (all steps) before its gradients and the error it
/// sends upstream are computed — the propagating GRAPES variant; empty (the default) leaves the error as it is.
/// </param>
public readonly record struct LayerContext(IComputeBackend Backend, IGemm Gemm, int Steps, int Batch, ArrayView<float> ErrorFactors = default)
{
    /// <summary>Rows of every activation matrix: steps × batch.</summary>
    public int Rows => Steps * Batch;
}

/// <summary>Applies <see cref="LayerContext.ErrorFactors"/> to a layer's error matrix.</summary>
internal static class ErrorModulation
{
    /// <summary>gradH[r, j] ← M_j·gradH[r, j] for every row, where factors are given.</summary>
    public static void Apply(in LayerContext context, ArrayView<float> gradH, int outputs)
    {
        if (context.ErrorFactors.Length == 0) return;
        var cells = context.Rows * outputs;
        context.Backend.Launch(cells, new Kernels.ScaleColumnsKernel(gradH.SubView(0, cells), context.ErrorFactors, outputs));
    }
}
