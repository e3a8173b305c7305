using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Networks;

namespace SpikeSim.Simulator.Recording;

/// <summary>The population rate in bins of <c>binSteps</c> steps: spikes per neuron per second, one value per bin.</summary>
public sealed class RateRecorder(Population population, int binSteps = 10) : IStepObserver
{
    private readonly List<long> _counts = [];
    private int _inBin;

    /// <summary>The recorded population.</summary>
    public Population Population { get; } = population;

    /// <summary>Steps per bin.</summary>
    public int BinSteps { get; } = Math.Max(1, binSteps);

    /// <summary>Step length of the run, in ms.</summary>
    public double DtMs { get; private set; }

    /// <summary>Rate per completed bin, in Hz.</summary>
    public double[] RatesHz => _counts.Take(_inBin == 0 ? _counts.Count : _counts.Count - 1)
        .Select(c => c / ((double)Population.Size * BinSteps * DtMs * 1e-3)).ToArray();

    /// <summary>Bin width in ms.</summary>
    public double BinMs => BinSteps * DtMs;

    /// <inheritdoc />
    public void OnStep(IStepView view)
    {
        DtMs = view.DtMs;
        if (_inBin == 0) _counts.Add(0);
        _counts[^1] += view.Spikes(Population).Length;
        _inBin = (_inBin + 1) % BinSteps;
    }
}
