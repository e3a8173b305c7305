using SpikeSim.Simulator.Compute;
using Xunit;

namespace SpikeSim.Tests.Support;

/// <summary>
/// A fact that needs a real CUDA device: where ILGPU finds none it reports itself as skipped,
/// with the reason, instead of passing silently.
/// </summary>
public sealed class GpuFactAttribute : FactAttribute
{
    private static readonly Lazy<bool> HasCuda = new(() =>
    {
        try
        {
            using var backend = IlgpuBackend.TryCreate(DeviceKind.Cuda);
            return backend is not null;
        }
        catch (Exception)
        {
            return false;
        }
    });

    public GpuFactAttribute()
    {
        if (!HasCuda.Value) Skip = "No CUDA device: ILGPU found none on this machine.";
    }

    /// <summary>Whether a CUDA device is present.</summary>
    public static bool CudaPresent => HasCuda.Value;
}

/// <summary>A fact about a machine without CUDA: where ILGPU finds a CUDA device it reports itself as skipped.</summary>
public sealed class NoCudaFactAttribute : FactAttribute
{
    public NoCudaFactAttribute()
    {
        if (GpuFactAttribute.CudaPresent) Skip = "A CUDA device is present; this checks the error where there is none.";
    }
}
