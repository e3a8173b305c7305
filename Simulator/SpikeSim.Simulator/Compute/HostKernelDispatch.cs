namespace SpikeSim.Simulator.Compute;

/// <summary>Calls a kernel's host range method with no boxing; one delegate per kernel type, made once.</summary>
internal delegate void HostRange<TKernel>(ref TKernel kernel, int start, int end) where TKernel : struct, IKernel;

/// <summary>How the host launcher runs kernels of type <typeparamref name="TKernel"/>, decided once per type.</summary>
internal static class HostKernelDispatch<TKernel> where TKernel : struct, IKernel
{
    /// <summary>True for <see cref="IScatterKernel"/>s: one thread, range method.</summary>
    public static readonly bool IsScatter = typeof(IScatterKernel).IsAssignableFrom(typeof(TKernel));

    /// <summary>
    /// The range method: the kernel's own where it has one, else a loop over <see cref="IKernel.Execute"/>.
    /// That fallback is slow (each ILGPU view access on the host is a virtual call, about 80 M/s measured),
    /// so every kernel of the simulator implements <see cref="IRangeKernel"/> over spans.
    /// </summary>
    public static readonly HostRange<TKernel> Range = typeof(IRangeKernel).IsAssignableFrom(typeof(TKernel))
        ? typeof(HostKernelDispatch).GetMethod(nameof(HostKernelDispatch.CallRange))!
            .MakeGenericMethod(typeof(TKernel)).CreateDelegate<HostRange<TKernel>>()
        : HostKernelDispatch.Loop;
}

internal static class HostKernelDispatch
{
    public static void CallRange<TKernel>(ref TKernel kernel, int start, int end) where TKernel : struct, IRangeKernel
        => kernel.ExecuteRange(start, end);

    public static void Loop<TKernel>(ref TKernel kernel, int start, int end) where TKernel : struct, IKernel
    {
        for (var i = start; i < end; i++) kernel.Execute(i);
    }
}
