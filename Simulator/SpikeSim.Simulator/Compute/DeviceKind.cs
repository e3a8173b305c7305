using System.Text.Json.Serialization;

namespace SpikeSim.Simulator.Compute;

/// <summary>Which backend runs the kernels.</summary>
public enum DeviceKind
{
    /// <summary>A CUDA device if ILGPU finds one, else the CPU.</summary>
    Auto,
    /// <summary>The host launcher on all CPU cores.</summary>
    Cpu,
    /// <summary>The first CUDA device, through ILGPU's PTX backend.</summary>
    Cuda,
    /// <summary>The first OpenCL device, through ILGPU.</summary>
    [JsonStringEnumMemberName("opencl")]
    OpenCl,
    /// <summary>
    /// ILGPU's CPU accelerator, which emulates GPU threads: a debugging and test aid, about 250 times slower than
    /// <see cref="Cpu"/> on a 1M-neuron LIF step and far slower still on small networks, where each launch costs most.
    /// </summary>
    IlgpuCpuEmulator,
}
