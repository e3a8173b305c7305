using ILGPU;
using ILGPU.Runtime;

namespace SpikeSim.Simulator.Compute;

/// <summary>
/// Host access to views of host memory, for the host-only range methods of kernels.
/// Never called on a GPU path.
/// </summary>
public static class HostViews
{
    /// <summary>
    /// The view's elements as a span (host memory only). Inlined, and without a call inside (ILGPU's <c>IntLength</c>
    /// asserts through one; a checked conversion only throws): a call before a kernel's loop makes the JIT keep the loop's
    /// pointers on the stack and reload them every iteration.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static unsafe Span<T> AsSpan<T>(this ArrayView<T> view) where T : unmanaged
        => view.Length == 0 ? Span<T>.Empty : new Span<T>((void*)view.LoadEffectiveAddressAsPtr(), checked((int)view.Length));
}
