using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Simulator.Recording;

/// <summary>
/// Samples one state variable of chosen neurons every <c>everySteps</c> steps, up to
/// <c>capacity</c> values in all; past that it stops and says so in <see cref="Warning"/>.
/// </summary>
public sealed class StateRecorder : IStepObserver
{
    private readonly int[] _neurons;
    private readonly List<float[]> _samples = [];
    private long _missed;

    /// <summary>Records <paramref name="variable"/> of <paramref name="neurons"/> of <paramref name="population"/>.</summary>
    public StateRecorder(Population population, StateVariable variable, int[] neurons, int everySteps = 1, long capacity = 50_000_000)
    {
        if (!population.Model.StateVariables.Contains(variable))
            throw new InvalidParameterException($"Population '{population.Name}' has no state variable '{variable.Name}'.");
        if (neurons.Any(n => (uint)n >= (uint)population.Size))
            throw new InvalidParameterException($"Recorded neurons must lie in 0..{population.Size - 1} for '{population.Name}'.");
        Population = population;
        Variable = variable;
        _neurons = neurons;
        EverySteps = Math.Max(1, everySteps);
        Capacity = capacity;
    }

    /// <summary>The recorded population.</summary>
    public Population Population { get; }

    /// <summary>The recorded variable.</summary>
    public StateVariable Variable { get; }

    /// <summary>Steps between samples.</summary>
    public int EverySteps { get; }

    /// <summary>The most values kept.</summary>
    public long Capacity { get; }

    /// <summary>Samples: one array per sampled step, one value per recorded neuron.</summary>
    public IReadOnlyList<float[]> Samples => _samples;

    /// <summary>Null, or a one-line note that the cap was reached.</summary>
    public string? Warning => _missed > 0
        ? $"State recorder for '{Population.Name}.{Variable.Name}' stopped at {Capacity} values and missed {_missed} samples."
        : null;

    /// <summary>The trace of the k-th recorded neuron.</summary>
    public float[] Trace(int k) => _samples.Select(s => s[k]).ToArray();

    /// <inheritdoc />
    public void OnStep(IStepView view)
    {
        if (view.Step % EverySteps != 0) return;
        if ((long)(_samples.Count + 1) * _neurons.Length > Capacity)
        {
            _missed++;
            return;
        }
        var sample = new float[_neurons.Length];
        view.ReadState(Population, Variable, _neurons, sample);
        _samples.Add(sample);
    }
}
