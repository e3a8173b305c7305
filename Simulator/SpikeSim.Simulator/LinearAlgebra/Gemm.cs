using ILGPU.Runtime.Cuda;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Simulator.LinearAlgebra;

/// <summary>Picks the <see cref="IGemm"/> for a backend.</summary>
public static class Gemm
{
    /// <summary>
    /// cuBLAS on a CUDA backend, the blocked SIMD <see cref="HostGemm"/> on the host launcher, and
    /// the plain <see cref="KernelGemm"/> on any other ILGPU accelerator.
    /// </summary>
    public static IGemm For(IComputeBackend backend) => backend switch
    {
        HostBackend host => new HostGemm(host.Threads),
        IlgpuBackend { Accelerator: CudaAccelerator cuda } => new CublasGemm(cuda),
        _ => new KernelGemm(backend),
    };
}
