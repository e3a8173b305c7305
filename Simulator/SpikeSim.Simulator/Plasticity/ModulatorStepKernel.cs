using ILGPU;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Simulator.Plasticity;

/// <summary>
/// One step of one neuromodulator (<see cref="Neuromodulator"/>), on the device so that no GPU step waits for the host:
/// n ← n·e^(−dt/τ_n) + (released + perSpike·k), with k its source population's spike count this step (from the host
/// where the host knows it, else from the device). A single index.
/// </summary>
internal readonly struct ModulatorStepKernel(ArrayView<double> levels, int index, double decay, double released, double perSpike,
    int hostCount, ArrayView<int> deviceCount) : IRangeKernel
{
    private readonly ArrayView<double> _levels = levels;
    private readonly ArrayView<int> _deviceCount = deviceCount;
    private readonly int _index = index, _hostCount = hostCount;
    private readonly double _decay = decay, _released = released, _perSpike = perSpike;

    public void Execute(int i)
    {
        var released = _released;
        if (_perSpike != 0) released += _perSpike * (_hostCount >= 0 ? _hostCount : _deviceCount[0]);
        _levels[_index] = _levels[_index] * _decay + released;
    }

    public void ExecuteRange(int start, int end)
    {
        for (var i = start; i < end; i++) Execute(i);
    }
}
