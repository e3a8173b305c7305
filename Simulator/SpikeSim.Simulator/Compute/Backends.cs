using SpikeSim.Simulator.Errors;

namespace SpikeSim.Simulator.Compute;

/// <summary>Opens the backend a user asks for.</summary>
public static class Backends
{
    /// <summary>
    /// Opens a backend. <see cref="DeviceKind.Auto"/> takes a CUDA device if ILGPU finds one,
    /// else the CPU; an explicit GPU kind that is not present throws
    /// <see cref="DeviceUnavailableException"/> with a one-line message.
    /// </summary>
    public static IComputeBackend Create(DeviceKind kind, int cpuThreads = 0)
    {
        switch (kind)
        {
            case DeviceKind.Cpu:
                return new HostBackend(cpuThreads);
            case DeviceKind.Auto:
                return TryOpen(DeviceKind.Cuda) ?? new HostBackend(cpuThreads);
            default:
                return IlgpuBackend.TryCreate(kind) ?? throw new DeviceUnavailableException(
                    $"No {Name(kind)} device was found (ILGPU saw none); use --device cpu or --device auto.");
        }
    }

    private static IComputeBackend? TryOpen(DeviceKind kind)
    {
        try
        {
            return IlgpuBackend.TryCreate(kind);
        }
        catch (DeviceUnavailableException)
        {
            return null;
        }
    }

    private static string Name(DeviceKind kind) => kind switch
    {
        DeviceKind.Cuda => "CUDA",
        DeviceKind.OpenCl => "OpenCL",
        _ => kind.ToString(),
    };
}
