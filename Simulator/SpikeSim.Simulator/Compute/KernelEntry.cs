using ILGPU;

namespace SpikeSim.Simulator.Compute;

/// <summary>The single ILGPU entry point for every kernel struct.</summary>
public static class KernelEntry
{
    /// <summary>Runs one index of <paramref name="kernel"/>; ILGPU compiles one specialisation per kernel type.</summary>
    public static void Run<TKernel>(Index1D index, TKernel kernel) where TKernel : struct, IKernel
        => kernel.Execute(index);
}
