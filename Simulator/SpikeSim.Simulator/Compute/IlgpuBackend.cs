using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;
using SpikeSim.Simulator.Errors;

namespace SpikeSim.Simulator.Compute;

/// <summary>
/// A backend on an ILGPU accelerator: CUDA or OpenCL for real work, or ILGPU's CPU accelerator,
/// which emulates GPU threads and serves tests that check the GPU path computes what the host
/// launcher computes. Every kernel goes through the one generic entry
/// <see cref="KernelEntry.Run{TKernel}"/>, compiled and loaded once per kernel type.
/// </summary>
public sealed class IlgpuBackend : IComputeBackend
{
    private readonly Context _context;
    private readonly Dictionary<Type, Delegate> _kernels = new();
    private readonly HostReadCounter _reads = new();

    private IlgpuBackend(Context context, Accelerator accelerator, DeviceKind kind)
    {
        _context = context;
        Accelerator = accelerator;
        Kind = kind;
    }

    /// <summary>The ILGPU accelerator, for libraries that need it (cuBLAS).</summary>
    public Accelerator Accelerator { get; }

    /// <inheritdoc />
    public DeviceKind Kind { get; }

    /// <inheritdoc />
    public string Description => Kind == DeviceKind.IlgpuCpuEmulator
        ? "ILGPU CPU accelerator (GPU emulation, for tests)"
        : $"{Accelerator.Name} ({Kind}, {Accelerator.MemorySize / (1L << 20)} MiB)";

    /// <inheritdoc />
    public bool IsHostMemory => Kind == DeviceKind.IlgpuCpuEmulator;

    /// <inheritdoc />
    public bool OrderedScatter => false;

    /// <inheritdoc />
    public long HostReads => _reads.Reads;

    /// <summary>Opens the first device of <paramref name="kind"/>, or returns null where there is none.</summary>
    public static IlgpuBackend? TryCreate(DeviceKind kind)
    {
        Context? context = null;
        try
        {
            context = kind switch
            {
                DeviceKind.Cuda => Context.Create(b => b.Cuda().EnableAlgorithms()),
                DeviceKind.OpenCl => Context.Create(b => b.OpenCL().EnableAlgorithms()),
                DeviceKind.IlgpuCpuEmulator => Context.Create(b => b.CPU().EnableAlgorithms()),
                _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not an ILGPU device kind."),
            };
            Accelerator? accelerator = kind switch
            {
                DeviceKind.Cuda => context.Devices.FirstOrDefault(d => d.AcceleratorType == AcceleratorType.Cuda)?.CreateAccelerator(context),
                DeviceKind.OpenCl => context.Devices.FirstOrDefault(d => d.AcceleratorType == AcceleratorType.OpenCL)?.CreateAccelerator(context),
                _ => context.CreateCPUAccelerator(0),
            };
            if (accelerator is not null) return new IlgpuBackend(context, accelerator, kind);
        }
        catch (Exception e) when (e is not ArgumentOutOfRangeException)
        {
            context?.Dispose();
            throw new DeviceUnavailableException($"ILGPU could not open a {kind} device: {e.Message}", e);
        }
        context.Dispose();
        return null;
    }

    /// <inheritdoc />
    public DeviceBuffer<T> Allocate<T>(long length) where T : unmanaged
        => new(Accelerator.Allocate1D<T>(Math.Max(length, 1)), IsHostMemory, reads: _reads);

    /// <inheritdoc />
    public void Launch<TKernel>(int length, in TKernel kernel) where TKernel : struct, IKernel
    {
        if (length <= 0) return;
        if (!_kernels.TryGetValue(typeof(TKernel), out var loaded))
        {
            loaded = Accelerator.LoadAutoGroupedStreamKernel<Index1D, TKernel>(KernelEntry.Run);
            _kernels[typeof(TKernel)] = loaded;
        }
        ((Action<Index1D, TKernel>)loaded)(length, kernel);
    }

    /// <inheritdoc />
    public void Synchronize() => Accelerator.Synchronize();

    /// <inheritdoc />
    public void Dispose()
    {
        Accelerator.Dispose();
        _context.Dispose();
    }
}
