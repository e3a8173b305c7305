using SpikeSim.Simulator.Networks;

namespace SpikeSim.Simulator.Recording;

/// <summary>Hears every spike of the event engine, with its exact time.</summary>
public interface ISpikeObserver
{
    /// <summary>Neuron <paramref name="neuron"/> of <paramref name="population"/> fired at <paramref name="timeMs"/>.</summary>
    void OnSpike(Population population, int neuron, double timeMs);
}

/// <summary>
/// Records the spikes of one population as (neuron, time in ms, double precision), up to
/// <see cref="Capacity"/>; past that it counts without keeping and says so in <see cref="Warning"/>.
/// </summary>
public sealed class SpikeTimeRecorder(Population population, long capacity = 10_000_000) : ISpikeObserver
{
    private readonly List<int> _neurons = [];
    private readonly List<double> _times = [];

    /// <summary>The recorded population.</summary>
    public Population Population { get; } = population;

    /// <summary>The most spikes kept.</summary>
    public long Capacity { get; } = capacity;

    /// <summary>Spikes seen, kept or not.</summary>
    public long Total { get; private set; }

    /// <summary>Neuron of each kept spike, in the order they fired.</summary>
    public IReadOnlyList<int> Neurons => _neurons;

    /// <summary>Time of each kept spike, ms.</summary>
    public IReadOnlyList<double> TimesMs => _times;

    /// <summary>Null, or a one-line note that the cap was reached.</summary>
    public string? Warning => Total > _neurons.Count
        ? $"Spike recorder for '{Population.Name}' kept the first {_neurons.Count} of {Total} spikes (capacity {Capacity})."
        : null;

    /// <inheritdoc />
    public void OnSpike(Population population, int neuron, double timeMs)
    {
        if (population != Population) return;
        Total++;
        if (_neurons.Count >= Capacity) return;
        _neurons.Add(neuron);
        _times.Add(timeMs);
    }

    /// <summary>Spike times of each neuron, in ms.</summary>
    public List<double>[] TrainsMs()
    {
        var trains = Enumerable.Range(0, Population.Size).Select(_ => new List<double>()).ToArray();
        for (var k = 0; k < _neurons.Count; k++) trains[_neurons[k]].Add(_times[k]);
        return trains;
    }
}
