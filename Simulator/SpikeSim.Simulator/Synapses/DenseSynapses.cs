using System.Numerics;
using ILGPU;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Simulator.Synapses;

/// <summary>
/// An all-to-all projection with source-major weights W[source, target] and one delay. Both
/// deliveries run one index per target, so no atomics are needed:
/// <list type="bullet">
/// <item>spike-driven: input_j += Σ over fired sources i (in list order) of W[i, j];</item>
/// <item>dense: input_j += Σ over all i of s_i·W[i, j], a matrix–vector product.</item>
/// </list>
/// </summary>
internal sealed class DenseSynapses(IComputeBackend backend, DenseConnectivity c, int delaySteps, PropagationMode mode) : SynapseGroup
{
    private readonly DeviceBuffer<float> _weight = Upload(backend, c.Weights);
    private readonly int _sources = c.Sources, _targets = c.Targets;

    public override int MaxDelaySteps => delaySteps;

    public override long Bytes => _weight.Bytes;

    public override DeviceBuffer<float> Weights => _weight;

    /// <summary>
    /// The delivery the engine uses for a step with <paramref name="fired"/> spikes (−1: a count the host does not know, as on
    /// a GPU, where the automatic choice is the matrix–vector product over the spike flags, which needs no count).
    /// </summary>
    public PropagationMode Choose(int fired) => mode switch
    {
        PropagationMode.Auto => fired >= 0 && 2 * fired < _sources ? PropagationMode.SpikeDriven : PropagationMode.Dense,
        _ => mode,
    };

    public override void Deliver(IComputeBackend backend, in SourceSpikes spikes, in DeliveryTarget target)
    {
        if (Choose(spikes.Count) == PropagationMode.Dense)
            backend.Launch(_targets, new MatVecKernel(spikes.Flags, _weight.View, _sources, _targets, delaySteps, target));
        else if (spikes.MayHaveSpikes)
            backend.Launch(_targets, new SpikeDrivenKernel(spikes.List, spikes.Count, spikes.DeviceCount, _weight.View, _targets, delaySteps, target));
    }

    public override void Dispose() => _weight.Dispose();

    private static DeviceBuffer<float> Upload(IComputeBackend backend, float[] weights)
    {
        var buffer = backend.Allocate<float>(weights.Length);
        buffer.CopyFrom(weights);
        return buffer;
    }

    /// <summary>One index per target, summing the rows of the listed spikes; the count comes from the device where the host does not know it (−1).</summary>
    internal readonly struct SpikeDrivenKernel(ArrayView<int> spikes, int count, ArrayView<int> deviceCount, ArrayView<float> weight, int targets, int delay,
        DeliveryTarget into) : IRangeKernel
    {
        private readonly ArrayView<int> _spikes = spikes, _deviceCount = deviceCount;
        private readonly ArrayView<float> _weight = weight;
        private readonly int _count = count, _targets = targets, _delay = delay;
        private readonly DeliveryTarget _into = into;

        public void Execute(int j)
        {
            var index = _into.Index(_delay, j);
            var acc = _into.Ring[index];
            var count = _count >= 0 ? _count : _deviceCount[0];
            for (var k = 0; k < count; k++) acc += _weight[(long)_spikes[k] * _targets + j];
            _into.Ring[index] = acc;
        }

        public void ExecuteRange(int start, int end)
        {
            var input = _into.Ring.AsSpan().Slice(_into.Index(_delay, start), end - start);
            var spikes = _spikes.AsSpan();
            for (var k = 0; k < _count; k++)
            {
                var row = _weight.SubView((long)spikes[k] * _targets + start, end - start).AsSpan();
                AddInto(input, row);
            }
        }
    }

    internal readonly struct MatVecKernel(ArrayView<byte> flags, ArrayView<float> weight, int sources, int targets, int delay, DeliveryTarget into) : IRangeKernel
    {
        private readonly ArrayView<byte> _flags = flags;
        private readonly ArrayView<float> _weight = weight;
        private readonly int _sources = sources, _targets = targets, _delay = delay;
        private readonly DeliveryTarget _into = into;

        public void Execute(int j)
        {
            var index = _into.Index(_delay, j);
            var acc = _into.Ring[index];
            for (var i = 0; i < _sources; i++) acc += _flags[i] * _weight[(long)i * _targets + j];
            _into.Ring[index] = acc;
        }

        public void ExecuteRange(int start, int end)
        {
            var input = _into.Ring.AsSpan().Slice(_into.Index(_delay, start), end - start);
            var flags = _flags.AsSpan();
            for (var i = 0; i < _sources; i++)
            {
                // A silent row adds s_i·W = 0 to each element, which leaves it unchanged: skip the read.
                if (flags[i] != 0) AddInto(input, _weight.SubView((long)i * _targets + start, end - start).AsSpan());
            }
        }
    }

    /// <summary>input += row, vectorised; the same per-element additions as the scalar loop.</summary>
    private static void AddInto(Span<float> input, ReadOnlySpan<float> row)
    {
        var w = Vector<float>.Count;
        var i = 0;
        for (; i <= input.Length - w; i += w) (new Vector<float>(input[i..]) + new Vector<float>(row[i..])).CopyTo(input[i..]);
        for (; i < input.Length; i++) input[i] += row[i];
    }
}
