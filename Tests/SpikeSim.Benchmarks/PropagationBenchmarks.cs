using BenchmarkDotNet.Attributes;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Random;
using SpikeSim.Simulator.Synapses;

namespace SpikeSim.Benchmarks;

/// <summary>
/// Delivery of one step's spikes: a sparse (CSR) projection of N neurons with 80 synapses each, as in
/// CUBA, and a dense 1000×1000 projection (spike-driven against matrix–vector), at a given number of
/// source spikes per step. Synaptic events/s = spikes × 80 / time for the sparse case.
/// </summary>
public class PropagationBenchmarks
{
    private HostBackend _backend = null!;
    private SynapseGroup _sparse = null!, _denseDriven = null!, _denseMatVec = null!;
    private SynapticInputRing _sparseRing = null!, _denseRing = null!;
    private DeviceBuffer<int> _list = null!;
    private DeviceBuffer<byte> _flags = null!;
    private int _count;
    private int _step;

    [Params(40_000)]
    public int N { get; set; }

    [Params(20, 200, 1000)]
    public int SpikesPerStep { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _backend = new HostBackend(1);
        var rng = new Xoshiro256(1);
        _sparse = SynapseGroup.Create(_backend, Connect.FixedProbability(N, N, 80.0 / N, Connect.Constant(0.1f), rng), 0, 0.1, PropagationMode.Auto);
        var dense = new DenseConnectivity(1000, 1000, Enumerable.Range(0, 1_000_000).Select(_ => (float)rng.NextDouble()).ToArray());
        _denseDriven = SynapseGroup.Create(_backend, dense, 0, 0.1, PropagationMode.SpikeDriven);
        _denseMatVec = SynapseGroup.Create(_backend, dense, 0, 0.1, PropagationMode.Dense);
        _sparseRing = new SynapticInputRing(_backend, N, 1, 1);
        _denseRing = new SynapticInputRing(_backend, 1000, 1, 1);
        _list = _backend.Allocate<int>(N);
        _flags = _backend.Allocate<byte>(N);
        var fired = Enumerable.Range(0, SpikesPerStep).Select(_ => rng.NextInt(1000)).Distinct().Order().ToArray();
        _list.CopyFrom(fired);
        foreach (var i in fired) _flags.HostSpan[i] = 1;
        _count = fired.Length;
    }

    [Benchmark]
    public void SparseSpikeDriven()
        => _sparse.Deliver(_backend, new SourceSpikes(_flags.View, _list.View, _count), _sparseRing.Target(_step++, 0));

    [Benchmark]
    public void DenseSpikeDriven()
        => _denseDriven.Deliver(_backend, new SourceSpikes(_flags.View, _list.View, _count), _denseRing.Target(_step++, 0));

    [Benchmark]
    public void DenseMatVec()
        => _denseMatVec.Deliver(_backend, new SourceSpikes(_flags.View, _list.View, _count), _denseRing.Target(_step++, 0));

    [GlobalCleanup]
    public void Cleanup()
    {
        _sparse.Dispose();
        _denseDriven.Dispose();
        _denseMatVec.Dispose();
        _sparseRing.Dispose();
        _denseRing.Dispose();
        _list.Dispose();
        _flags.Dispose();
        _backend.Dispose();
    }
}
