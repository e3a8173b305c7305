using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Backends;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using SpikeSim.Simulator.Compute;
using SpikeSim.Tests.Support;
using Xunit;

namespace SpikeSim.Tests.Compute;

/// <summary>
/// Every kernel compiles to PTX through ILGPU's PTX backend, which needs no GPU: a machine
/// without one still proves the CUDA path compiles.
/// </summary>
public sealed class PtxCompilationTests
{
    public static TheoryData<Type> Kernels()
    {
        var data = new TheoryData<Type>();
        foreach (var t in KernelCatalog.Closed()) data.Add(t);
        return data;
    }

    [Fact]
    public void The_catalog_finds_the_kernels()
    {
        Assert.Contains(KernelCatalog.All, t => t.Name == "CubaLifStepKernel");
        Assert.True(KernelCatalog.All.Count >= 10, $"only {KernelCatalog.All.Count} kernels found");
    }

    [Fact]
    public void Every_kernel_has_a_host_range_method()
    {
        // Without one the host launcher falls back to per-index view access, a virtual call each.
        var slow = KernelCatalog.All.Where(t => !typeof(IRangeKernel).IsAssignableFrom(t)).Select(t => t.FullName).ToArray();
        Assert.True(slow.Length == 0, "kernels without IRangeKernel: " + string.Join(", ", slow));
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Kernel_compiles_to_PTX(Type kernel)
    {
        using var context = Context.Create(b => b.Cuda().EnableAlgorithms());
        var architecture = CudaArchitecture.SM_80;
        using var backend = new PTXBackend(context, new CudaCapabilityContext(architecture), architecture, CudaInstructionSet.ISA_80, null);
        var entry = typeof(KernelEntry).GetMethod(nameof(KernelEntry.Run))!.MakeGenericMethod(kernel);
        var compiled = backend.Compile(EntryPointDescription.FromImplicitlyGroupedKernel(entry), new KernelSpecialization());
        var ptx = Assert.IsType<PTXCompiledKernel>(compiled).PTXAssembly;
        Assert.Contains(".entry", ptx);
        Assert.Contains(".target sm_80", ptx);
    }
}
