using ILGPU;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Synapses;

namespace SpikeSim.Simulator.Recording;

/// <summary>
/// A population's spikes accumulated on the device, step after step, and copied to the host in chunks: each step appends the
/// spike list and its step number behind what is logged (two kernels, no host read); every <see cref="ChunkSteps"/> steps,
/// and when asked, the host reads the log once (its length, then the entries) and empties it. So a GPU recording spikes
/// waits for the host once a chunk instead of once a step. Within a step the host sorts the neurons, so the spikes come out
/// in the host launcher's order.
/// </summary>
internal sealed class DeviceSpikeLog : IDisposable
{
    /// <summary>Entries the log may hold (two ints each), which sets how many steps a chunk spans.</summary>
    public const int CapacityEntries = 1 << 22;

    private readonly DeviceBuffer<int> _neurons, _steps, _logged;
    private readonly int[] _length = new int[1];
    private int _pending;

    public DeviceSpikeLog(IComputeBackend backend, int neurons)
    {
        ChunkSteps = Math.Clamp(CapacityEntries / Math.Max(neurons, 1), 1, 1000);
        _neurons = backend.Allocate<int>((long)ChunkSteps * neurons);
        _steps = backend.Allocate<int>((long)ChunkSteps * neurons);
        _logged = backend.Allocate<int>(1);
    }

    /// <summary>Steps between two reads by the host.</summary>
    public int ChunkSteps { get; }

    /// <summary>Appends step <paramref name="step"/>'s spikes; true when the log is full and must be drained before the next step.</summary>
    public bool Append(IComputeBackend backend, in SourceSpikes spikes, int step)
    {
        spikes.LaunchPerSpike(backend, new SpikeLogAppendKernel(spikes.List, _logged.View, _neurons.View, _steps.View, step));
        backend.Launch(1, new SpikeLogAdvanceKernel(_logged.View, spikes.DeviceCount));
        return ++_pending == ChunkSteps;
    }

    /// <summary>Reads the logged spikes and empties the log; calls <paramref name="emit"/> once per step that had spikes, neurons ascending.</summary>
    public void Drain(IComputeBackend backend, Action<int, ReadOnlySpan<int>> emit)
    {
        _pending = 0;
        _logged.CopyTo(_length);
        var n = _length[0];
        if (n == 0) return;
        var neurons = new int[n];
        var steps = new int[n];
        _neurons.CopyTo(neurons);
        _steps.CopyTo(steps);
        backend.Launch(1, new FillKernel<int>(_logged.View, 0));
        for (var start = 0; start < n;)
        {
            var end = start;
            while (end < n && steps[end] == steps[start]) end++;
            var segment = neurons.AsSpan(start, end - start);
            segment.Sort();
            emit(steps[start], segment);
            start = end;
        }
    }

    public void Dispose()
    {
        _neurons.Dispose();
        _steps.Dispose();
        _logged.Dispose();
    }
}

/// <summary>Spike i of this step goes behind the <c>logged[0]</c> entries already in the log, with its step number.</summary>
internal readonly struct SpikeLogAppendKernel(ArrayView<int> list, ArrayView<int> logged, ArrayView<int> neurons, ArrayView<int> steps, int step)
    : IScatterKernel
{
    private readonly ArrayView<int> _list = list, _logged = logged, _neurons = neurons, _steps = steps;
    private readonly int _step = step;

    public void Execute(int i)
    {
        var at = _logged[0] + i;
        _neurons[at] = _list[i];
        _steps[at] = _step;
    }

    public void ExecuteRange(int start, int end)
    {
        for (var i = start; i < end; i++) Execute(i);
    }
}

/// <summary>logged[0] += count[0]: the log's length after this step's spikes, on the device.</summary>
internal readonly struct SpikeLogAdvanceKernel(ArrayView<int> logged, ArrayView<int> count) : IScatterKernel
{
    private readonly ArrayView<int> _logged = logged, _count = count;

    public void Execute(int i) => _logged[0] += _count[0];

    public void ExecuteRange(int start, int end)
    {
        for (var i = start; i < end; i++) Execute(i);
    }
}
