using ILGPU;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Simulator.Synapses;

/// <summary>Source i to target i: input_i += s_i·w_i, one index per neuron.</summary>
internal sealed class OneToOneSynapses : SynapseGroup
{
    private readonly DeviceBuffer<float> _weight;
    private readonly int _delay;

    public OneToOneSynapses(IComputeBackend backend, OneToOneConnectivity c, int delaySteps)
    {
        _weight = backend.Allocate<float>(c.Weights.Length);
        _weight.CopyFrom(c.Weights);
        _delay = delaySteps;
    }

    public override int MaxDelaySteps => _delay;

    public override long Bytes => _weight.Bytes;

    public override DeviceBuffer<float> Weights => _weight;

    public override void Deliver(IComputeBackend backend, in SourceSpikes spikes, in DeliveryTarget target)
    {
        if (spikes.MayHaveSpikes) backend.Launch((int)_weight.Length, new Kernel(spikes.Flags, _weight.View, _delay, target));
    }

    public override void Dispose() => _weight.Dispose();

    internal readonly struct Kernel(ArrayView<byte> flags, ArrayView<float> weight, int delay, DeliveryTarget into) : IRangeKernel
    {
        private readonly ArrayView<byte> _flags = flags;
        private readonly ArrayView<float> _weight = weight;
        private readonly int _delay = delay;
        private readonly DeliveryTarget _into = into;

        public void Execute(int i)
        {
            if (_flags[i] != 0) _into.Ring[_into.Index(_delay, i)] += _weight[i];
        }

        public void ExecuteRange(int start, int end)
        {
            Span<byte> flags = _flags.AsSpan();
            Span<float> weight = _weight.AsSpan(), input = _into.Ring.AsSpan()[_into.Index(_delay, 0)..];
            for (var i = start; i < end; i++)
                if (flags[i] != 0) input[i] += weight[i];
        }
    }
}
