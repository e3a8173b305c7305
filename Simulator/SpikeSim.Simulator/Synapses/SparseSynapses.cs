using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Algorithms;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Simulator.Synapses;

/// <summary>
/// A CSR projection: 4-byte target index and 4-byte weight per synapse, plus, where delays differ between synapses, a
/// 1-byte delay (in steps, where none exceeds 255) or a 2-byte one: 9 or 10 bytes a synapse and 4 a source. Delivery reads only the rows of sources that fired:
/// input[(t + d) mod D][channel][target] += w.
/// </summary>
internal sealed class SparseSynapses : SynapseGroup
{
    private readonly DeviceBuffer<int> _rowStart, _target;
    private readonly DeviceBuffer<float> _weight;
    private readonly DeviceBuffer<ushort> _delay;
    private readonly DeviceBuffer<byte> _shortDelay;
    private readonly int _uniformDelay;
    private readonly DelayStorage _storage;

    public SparseSynapses(IComputeBackend backend, SparseConnectivity c, double delayMs, double dtMs)
    {
        _rowStart = backend.Allocate<int>(c.RowStart.Length);
        _rowStart.CopyFrom(c.RowStart);
        _target = backend.Allocate<int>(c.TargetIndex.Length);
        _target.CopyFrom(c.TargetIndex);
        _weight = backend.Allocate<float>(c.Weights.Length);
        _weight.CopyFrom(c.Weights);
        _uniformDelay = SynapticDelay.ToSteps(delayMs, dtMs);
        MaxDelaySteps = _uniformDelay;
        var steps = c.DelaysMs is null ? null : DelaySteps(c.DelaysMs, dtMs);
        var perSynapse = steps is { Length: > 0 } && steps.AsSpan().ContainsAnyExcept(steps[0]);
        if (steps is { Length: > 0 } && !perSynapse) _uniformDelay = MaxDelaySteps = steps[0];
        if (perSynapse) MaxDelaySteps = steps!.Max();
        _storage = !perSynapse ? DelayStorage.Uniform : MaxDelaySteps <= byte.MaxValue ? DelayStorage.Byte : DelayStorage.UShort;
        _delay = backend.Allocate<ushort>(_storage == DelayStorage.UShort ? steps!.Length : 0);
        _shortDelay = backend.Allocate<byte>(_storage == DelayStorage.Byte ? steps!.Length : 0);
        if (_storage == DelayStorage.UShort) _delay.CopyFrom(steps);
        if (_storage == DelayStorage.Byte) _shortDelay.CopyFrom(Array.ConvertAll(steps!, d => (byte)d));
    }

    /// <summary>How delays are stored (an int in kernels: parameters must be blittable).</summary>
    internal enum DelayStorage
    {
        Uniform = 0,
        UShort = 1,
        Byte = 2,
    }

    private static ushort[] DelaySteps(float[] delaysMs, double dtMs)
    {
        var steps = new ushort[delaysMs.Length];
        for (var i = 0; i < steps.Length; i++) steps[i] = (ushort)SynapticDelay.ToSteps(delaysMs[i], dtMs);
        return steps;
    }

    public override int MaxDelaySteps { get; }

    public override DeviceBuffer<float> Weights => _weight;

    /// <summary>Row starts of the CSR form, for learning rules.</summary>
    internal DeviceBuffer<int> RowStart => _rowStart;

    /// <summary>Target of each synapse, for learning rules.</summary>
    internal DeviceBuffer<int> Targets => _target;

    public override long Bytes => _rowStart.Bytes + _target.Bytes + _weight.Bytes + _storage switch
    {
        DelayStorage.UShort => _delay.Bytes,
        DelayStorage.Byte => _shortDelay.Bytes,
        _ => 0,
    };

    public override void Deliver(IComputeBackend backend, in SourceSpikes spikes, in DeliveryTarget target)
        => spikes.LaunchPerSpike(backend, new Kernel(spikes.List, _rowStart.View, _target.View, _weight.View,
            _delay.View, _shortDelay.View, (int)_storage, _uniformDelay, target));

    public override void Dispose()
    {
        _rowStart.Dispose();
        _target.Dispose();
        _weight.Dispose();
        _delay.Dispose();
        _shortDelay.Dispose();
    }

    /// <summary>One index per source spike; each walks its row. Atomic on a GPU, plain adds on one host thread.</summary>
    internal readonly struct Kernel(ArrayView<int> spikes, ArrayView<int> rowStart, ArrayView<int> target, ArrayView<float> weight,
        ArrayView<ushort> delay, ArrayView<byte> shortDelay, int storage, int uniformDelay, DeliveryTarget into) : IScatterKernel
    {
        private readonly ArrayView<int> _spikes = spikes, _rowStart = rowStart, _target = target;
        private readonly ArrayView<float> _weight = weight;
        private readonly ArrayView<ushort> _delay = delay;
        private readonly ArrayView<byte> _shortDelay = shortDelay;
        private readonly int _storage = storage; // a DelayStorage
        private readonly int _uniformDelay = uniformDelay;
        private readonly DeliveryTarget _into = into;

        public void Execute(int k)
        {
            var source = _spikes[k];
            for (var s = _rowStart[source]; s < _rowStart[source + 1]; s++)
            {
                var d = _storage == (int)DelayStorage.Byte ? _shortDelay[s] : _storage == (int)DelayStorage.UShort ? _delay[s] : _uniformDelay;
                Atomic.Add(ref _into.Ring[_into.Index(d, _target[s])], _weight[s]);
            }
        }

        public void ExecuteRange(int start, int end)
        {
            var spikes = _spikes.AsSpan();
            var rowStart = _rowStart.AsSpan();
            var target = _target.AsSpan();
            var weight = _weight.AsSpan();
            var ring = _into.Ring.AsSpan();
            for (var k = start; k < end; k++)
            {
                var source = spikes[k];
                int first = rowStart[source], last = rowStart[source + 1];
                if (_storage != (int)DelayStorage.Uniform)
                {
                    if (k + 1 < end) Prefetch(target, weight, rowStart[spikes[k + 1]], rowStart[spikes[k + 1] + 1]);
                    if (_storage == (int)DelayStorage.Byte) DeliverWithDelays(ring, target, weight, _shortDelay.AsSpan(), first, last);
                    else DeliverWithDelays(ring, target, weight, _delay.AsSpan(), first, last);
                }
                else
                {
                    // Rows of successive spikes lie far apart: fetch the next row while this one is summed.
                    if (k + 1 < end) Prefetch(target, weight, rowStart[spikes[k + 1]], rowStart[spikes[k + 1] + 1]);
                    var offset = _into.Index(_uniformDelay, 0);
                    var slot = ring[offset..];
                    for (var s = first; s < last; s++) slot[target[s]] += weight[s];
                }
            }
        }

        /// <summary>
        /// One row with per-synapse delays: slot (now + d) without a division (d never exceeds the depth) and no bounds
        /// checks (every index was validated when the synapses were built); the adds are those of <see cref="Execute"/>, in row order.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void DeliverWithDelays<TDelay>(Span<float> ring, Span<int> target, Span<float> weight, Span<TDelay> delay, int first, int last)
            where TDelay : unmanaged, System.Numerics.IBinaryInteger<TDelay>
        {
            ref var slots = ref MemoryMarshal.GetReference(ring);
            ref var to = ref MemoryMarshal.GetReference(target);
            ref var w = ref MemoryMarshal.GetReference(weight);
            ref var d = ref MemoryMarshal.GetReference(delay);
            int now = _into.CurrentSlot, depth = _into.Depth, stride = _into.SlotStride, channel = _into.ChannelOffset;
            for (var s = first; s < last; s++)
            {
                var slot = now + int.CreateTruncating(Unsafe.Add(ref d, s));
                if (slot >= depth) slot -= depth;
                Unsafe.Add(ref slots, slot * stride + channel + Unsafe.Add(ref to, s)) += Unsafe.Add(ref w, s);
            }
        }

        private static unsafe void Prefetch(Span<int> target, Span<float> weight, int first, int last)
        {
            if (!System.Runtime.Intrinsics.X86.Sse.IsSupported) return;
            fixed (int* t = target)
            fixed (float* w = weight)
            {
                for (var s = first; s < last; s += 16)
                {
                    System.Runtime.Intrinsics.X86.Sse.Prefetch0(t + s);
                    System.Runtime.Intrinsics.X86.Sse.Prefetch0(w + s);
                }
            }
        }
    }
}
