using ILGPU;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Simulator.Synapses;

/// <summary>
/// The delay ring buffer of one target population: <c>depth</c> slots (the longest delay in
/// steps), each channel-major <c>[channel·N + neuron]</c>. Step t's neurons consume slot
/// t mod depth; a spike in step t with delay d adds to slot (t + d) mod depth.
/// </summary>
public sealed class SynapticInputRing : IDisposable
{
    private readonly DeviceBuffer<float> _buffer;

    /// <summary>Allocates a ring for <paramref name="neurons"/> neurons of <paramref name="channels"/> channels.</summary>
    public SynapticInputRing(IComputeBackend backend, int neurons, int channels, int depth)
    {
        Neurons = neurons;
        Channels = Math.Max(channels, 1);
        Depth = Math.Max(depth, 1);
        _buffer = backend.Allocate<float>((long)Depth * Channels * Neurons);
    }

    /// <summary>Neurons per channel.</summary>
    public int Neurons { get; }

    /// <summary>Channels per slot.</summary>
    public int Channels { get; }

    /// <summary>Slots (the longest delay in steps).</summary>
    public int Depth { get; }

    /// <summary>Bytes held.</summary>
    public long Bytes => _buffer.Bytes;

    /// <summary>The slot step <paramref name="step"/> consumes.</summary>
    public ArrayView<float> Slot(int step)
        => _buffer.View.SubView((long)(step % Depth) * Channels * Neurons, (long)Channels * Neurons);

    /// <summary>Where spikes of step <paramref name="step"/> are delivered onto <paramref name="channel"/>.</summary>
    public DeliveryTarget Target(int step, int channel) => new(_buffer.View, Depth, Channels * Neurons, channel * Neurons, step);

    /// <inheritdoc />
    public void Dispose() => _buffer.Dispose();
}

/// <summary>The address arithmetic of a delivery into a <see cref="SynapticInputRing"/>, for kernels.</summary>
public readonly struct DeliveryTarget(ArrayView<float> ring, int depth, int slotStride, int channelOffset, int step)
{
    /// <summary>The whole ring.</summary>
    public readonly ArrayView<float> Ring = ring;
    private readonly int _depth = depth, _slotStride = slotStride, _channelOffset = channelOffset, _step = step;

    /// <summary>Index of neuron <paramref name="target"/>'s input <paramref name="delaySteps"/> steps ahead.</summary>
    public int Index(int delaySteps, int target) => (_step + delaySteps) % _depth * _slotStride + _channelOffset + target;

    /// <summary>Slots in the ring; no delay exceeds it.</summary>
    public int Depth => _depth;

    /// <summary>The slot of this step (t mod depth); the slot d steps ahead is this + d, less the depth where that reaches it.</summary>
    public int CurrentSlot => _step % _depth;

    /// <summary>Elements per slot.</summary>
    public int SlotStride => _slotStride;

    /// <summary>Where this delivery's channel starts within a slot.</summary>
    public int ChannelOffset => _channelOffset;
}
