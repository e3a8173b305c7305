using ILGPU;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Simulator.Engines;

/// <summary>Spike flags as values for a GEMM: 1 where the neuron fired this step, 0 elsewhere.</summary>
internal readonly struct SpikeValuesKernel(ArrayView<byte> flags, ArrayView<float> values) : IRangeKernel
{
    private readonly ArrayView<byte> _flags = flags;
    private readonly ArrayView<float> _values = values;

    public void Execute(int i) => _values[i] = _flags[i] != 0 ? 1f : 0f;

    public void ExecuteRange(int start, int end)
    {
        Span<byte> flags = _flags.AsSpan();
        Span<float> values = _values.AsSpan();
        for (var i = start; i < end; i++) values[i] = flags[i] != 0 ? 1f : 0f;
    }
}
