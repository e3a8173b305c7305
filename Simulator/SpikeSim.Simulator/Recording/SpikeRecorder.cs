using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Networks;

namespace SpikeSim.Simulator.Recording;

/// <summary>
/// Records every spike of a population as (neuron, step), up to <see cref="Capacity"/> spikes;
/// beyond that it stops recording, keeps counting, and says so in <see cref="Warning"/>, so a long
/// run never grows memory without bound (8 bytes a spike: 10 million spikes are 80 MB).
/// </summary>
public sealed class SpikeRecorder(Population population, long capacity = 10_000_000) : IStepObserver
{
    private int[] _neurons = new int[1024];
    private int[] _steps = new int[1024];

    /// <summary>The recorded population.</summary>
    public Population Population { get; } = population;

    /// <summary>The most spikes kept.</summary>
    public long Capacity { get; } = Math.Min(capacity, Array.MaxLength);

    /// <summary>Spikes kept.</summary>
    public int Count { get; private set; }

    /// <summary>Spikes seen, kept or not.</summary>
    public long Total { get; private set; }

    /// <summary>Steps observed.</summary>
    public int Steps { get; private set; }

    /// <summary>Step length of the run, in ms.</summary>
    public double DtMs { get; private set; }

    /// <summary>Neuron of each kept spike.</summary>
    public ReadOnlySpan<int> Neurons => _neurons.AsSpan(0, Count);

    /// <summary>Step of each kept spike.</summary>
    public ReadOnlySpan<int> SpikeSteps => _steps.AsSpan(0, Count);

    /// <summary>Null, or a one-line note that the cap was reached.</summary>
    public string? Warning => Total > Count
        ? $"Spike recorder for '{Population.Name}' kept the first {Count} of {Total} spikes (capacity {Capacity}); raise the capacity or record fewer neurons."
        : null;

    /// <summary>Mean firing rate over the observed steps, in Hz.</summary>
    public double MeanRateHz => Steps == 0 ? 0 : Total / ((double)Population.Size * Steps * DtMs * 1e-3);

    /// <inheritdoc />
    public void OnStep(IStepView view)
    {
        var spikes = view.Spikes(Population);
        Steps++;
        DtMs = view.DtMs;
        Total += spikes.Length;
        var keep = (int)Math.Min(spikes.Length, Capacity - Count);
        if (keep <= 0) return;
        if (Count + keep > _neurons.Length)
        {
            var size = (int)Math.Min(Capacity, Math.Max(2L * _neurons.Length, Count + keep));
            Array.Resize(ref _neurons, size);
            Array.Resize(ref _steps, size);
        }
        spikes[..keep].CopyTo(_neurons.AsSpan(Count));
        _steps.AsSpan(Count, keep).Fill(view.Step);
        Count += keep;
    }

    /// <summary>Spike times of each neuron, in ms.</summary>
    public List<double>[] TrainsMs()
    {
        var trains = Enumerable.Range(0, Population.Size).Select(_ => new List<double>()).ToArray();
        for (var k = 0; k < Count; k++) trains[_neurons[k]].Add(_steps[k] * DtMs);
        return trains;
    }
}
