using BenchmarkDotNet.Attributes;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Benchmarks;

/// <summary>
/// One step of a neuron group on the host launcher: the vectorised range path (CUBA-LIF, LIF) and a
/// scalar-only model (ALIF) for comparison. Reported per step; neuron-steps/s = N / time.
/// </summary>
[MemoryDiagnoser]
public class NeuronStepBenchmarks
{
    private HostBackend _backend = null!;
    private NeuronGroup _group = null!;
    private DeviceBuffer<float> _input = null!, _current = null!;
    private DeviceBuffer<byte> _spikes = null!;
    private int _step;

    [Params(4_000, 40_000, 1_000_000)]
    public int N { get; set; }

    public enum ModelKind { CubaLif, Lif, AdaptiveLif }

    [Params(ModelKind.CubaLif, ModelKind.Lif, ModelKind.AdaptiveLif)]
    public ModelKind Model { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _backend = new HostBackend(Threads);
        INeuronModel model = Model switch
        {
            ModelKind.CubaLif => new CubaLif(VLeak: -49, VThreshold: -50, VReset: -60, RefractoryMs: 5),
            ModelKind.Lif => new Lif(VLeak: 0, VThreshold: 1, RefractoryMs: 2),
            _ => new AdaptiveLif(VLeak: 0, VThreshold: 1, RefractoryMs: 2),
        };
        _group = model.CreateGroup(new GroupContext(_backend, N, 0.1, 1));
        _input = _backend.Allocate<float>(2L * N);
        _current = _backend.Allocate<float>(N);
        _current.CopyFrom(Enumerable.Repeat(1.2f, N).ToArray());
        _spikes = _backend.Allocate<byte>(N);
    }

    [Benchmark]
    public void Step() => _group.Step(_backend, new NeuronStepArgs(_input.View, _current.View, _spikes.View, _step++));

    [GlobalCleanup]
    public void Cleanup()
    {
        _group.Dispose();
        _input.Dispose();
        _current.Dispose();
        _spikes.Dispose();
        _backend.Dispose();
    }
}
