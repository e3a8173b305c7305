using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.LinearAlgebra;

namespace SpikeSim.Learning.Layers;

/// <summary>
/// What a layer needs to run one batch: the backend, its GEMM, and the batch geometry. Activations are
/// row-major matrices with <see cref="Rows"/> = steps × batch rows (row t·batch + b) and one column per neuron.
/// </summary>
public readonly record struct LayerContext(IComputeBackend Backend, IGemm Gemm, int Steps, int Batch)
{
    /// <summary>Rows of every activation matrix: steps × batch.</summary>
    public int Rows => Steps * Batch;
}
