using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Recording;
using SpikeSim.Tests.Support;
using Xunit;

namespace SpikeSim.Tests.Compute;

/// <summary>Checks that need a real CUDA device; each reports itself as skipped where there is none.</summary>
public sealed class CudaTests
{
    [GpuFact]
    public void Auto_takes_the_cuda_device()
    {
        using var backend = Backends.Create(DeviceKind.Auto);
        Assert.Equal(DeviceKind.Cuda, backend.Kind);
    }

    [GpuFact]
    public void Cuda_and_the_host_launcher_give_the_same_spikes()
    {
        int[][] Run(IComputeBackend backend)
        {
            var network = EveryKindNetwork.Build(7);
            using var simulation = new TimeStepSimulation(network, backend, new TimeStepOptions(0.1, Seed: 7));
            var recorders = network.Populations.Select(p => simulation.Observe(new SpikeRecorder(p))).ToArray();
            simulation.RunSteps(300);
            return recorders.Select(r => r.Neurons.ToArray().Zip(r.SpikeSteps.ToArray(), (n, s) => s * 1000 + n).ToArray()).ToArray();
        }
        using var cuda = Backends.Create(DeviceKind.Cuda);
        using var host = new HostBackend();
        // The PTX backend may contract a·b + c into one FMA, so states can differ in the last bit;
        // the exact-weight network keeps spike times identical all the same.
        Assert.Equal(Run(host), Run(cuda));
    }
}

/// <summary>Device selection on any machine.</summary>
public sealed class DeviceSelectionTests
{
    [Fact]
    public void Auto_takes_the_cpu_where_ilgpu_finds_no_cuda_device()
    {
        using var backend = Backends.Create(DeviceKind.Auto);
        Assert.Equal(GpuFactAttribute.CudaPresent ? DeviceKind.Cuda : DeviceKind.Cpu, backend.Kind);
    }

    [Theory]
    [InlineData("auto", DeviceKind.Auto)]
    [InlineData("CPU", DeviceKind.Cpu)]
    [InlineData(" cuda ", DeviceKind.Cuda)]
    [InlineData("opencl", DeviceKind.OpenCl)]
    [InlineData("ilgpu-cpu-emulator", DeviceKind.IlgpuCpuEmulator)]
    public void Device_names_parse(string name, DeviceKind kind) => Assert.Equal(kind, OptionName.Parse<DeviceKind>(name, "device"));
}
