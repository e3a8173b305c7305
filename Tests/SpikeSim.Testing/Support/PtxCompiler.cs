using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Backends;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Tests.Support;

/// <summary>Compiles a kernel to PTX through ILGPU's PTX backend, which needs no GPU.</summary>
public static class PtxCompiler
{
    /// <summary>The PTX of <paramref name="kernel"/>'s entry point, for SM 8.0.</summary>
    public static string Compile(Type kernel)
    {
        using var context = Context.Create(b => b.Cuda().EnableAlgorithms());
        var architecture = CudaArchitecture.SM_80;
        using var backend = new PTXBackend(context, new CudaCapabilityContext(architecture), architecture, CudaInstructionSet.ISA_80, null);
        var entry = typeof(KernelEntry).GetMethod(nameof(KernelEntry.Run))!.MakeGenericMethod(kernel);
        var compiled = backend.Compile(EntryPointDescription.FromImplicitlyGroupedKernel(entry), new KernelSpecialization());
        return ((PTXCompiledKernel)compiled).PTXAssembly;
    }
}
