using System.Reflection;
using SpikeSim.Simulator.Compute;
using Xunit;

namespace SpikeSim.Tests.Support;

/// <summary>
/// Every kernel of the assembly that holds <typeparamref name="TMarker"/> compiles to PTX through ILGPU's PTX
/// backend, which needs no GPU (a machine without one still proves the CUDA path compiles), and has a host range
/// method. Each test project derives it once for its assembly.
/// </summary>
public abstract class KernelCompilationTests<TMarker>
{
    private static Assembly Assembly => typeof(TMarker).Assembly;

    /// <summary>A kernel the catalogue must find, so an empty catalogue cannot pass.</summary>
    protected abstract string KnownKernel { get; }

    public static TheoryData<Type> Kernels()
    {
        var data = new TheoryData<Type>();
        foreach (var t in KernelCatalog.Closed(KernelCatalog.In(Assembly))) data.Add(t);
        return data;
    }

    [Fact]
    public void The_catalog_finds_the_kernels()
    {
        var all = KernelCatalog.In(Assembly);
        Assert.Contains(all, t => t.Name == KnownKernel);
        Assert.True(all.Count >= 5, $"only {all.Count} kernels found");
    }

    [Fact]
    public void Every_kernel_has_a_host_range_method()
    {
        // Without one the host launcher falls back to per-index view access, a virtual call each.
        var slow = KernelCatalog.In(Assembly).Where(t => !typeof(IRangeKernel).IsAssignableFrom(t)).Select(t => t.FullName).ToArray();
        Assert.True(slow.Length == 0, "kernels without IRangeKernel: " + string.Join(", ", slow));
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Kernel_compiles_to_PTX(Type kernel)
    {
        var ptx = PtxCompiler.Compile(kernel);
        Assert.Contains(".entry", ptx);
        Assert.Contains(".target sm_80", ptx);
    }
}
