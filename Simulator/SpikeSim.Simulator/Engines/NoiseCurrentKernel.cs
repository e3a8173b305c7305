using ILGPU;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Random;

namespace SpikeSim.Simulator.Engines;

/// <summary>current_i ← base_i + low + (high − low)·U, one counter-based uniform U per (neuron, step).</summary>
internal readonly struct NoiseCurrentKernel(ArrayView<float> current, ArrayView<float> baseCurrent, float low, float width, ulong seed, int step)
    : IRangeKernel
{
    private readonly ArrayView<float> _current = current, _base = baseCurrent;
    private readonly float _low = low, _width = width;
    private readonly ulong _seed = seed;
    private readonly int _step = step;

    public void Execute(int i) => _current[i] = _base[i] + (_low + _width * CounterRng.Uniform(_seed, (uint)i, (uint)_step));

    public void ExecuteRange(int start, int end)
    {
        Span<float> current = _current.AsSpan(), baseCurrent = _base.AsSpan();
        for (var i = start; i < end; i++) current[i] = baseCurrent[i] + (_low + _width * CounterRng.Uniform(_seed, (uint)i, (uint)_step));
    }
}
