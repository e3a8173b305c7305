using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Simulator.Recording;

/// <summary>
/// What to keep of a run. The engines send recordings to an <see cref="IRecordingSink"/> as the run goes, so a
/// sink that streams to disk keeps memory bounded however long the run.
/// </summary>
/// <param name="Population">The population recorded.</param>
public abstract record Recording(Population Population);

/// <summary>
/// Every spike of <paramref name="Population"/>: (neuron, time in ms). The time-step engine stamps a spike with the
/// start of the step in which the threshold was crossed (step·dt); the event engine with its exact time.
/// </summary>
public sealed record SpikeRecording(Population Population) : Recording(Population);

/// <summary>
/// The population rate of <paramref name="Population"/> in bins of <paramref name="BinMs"/>: spikes in the bin divided by
/// the population size and the bin length, in Hz. Built from the spike stream in either engine.
/// </summary>
public sealed record RateRecording(Population Population, double BinMs = 1.0) : Recording(Population)
{
    /// <summary>Refuses a bin that is not a positive finite time.</summary>
    public RateRecording Validated() => BinMs > 0 && double.IsFinite(BinMs) ? this
        : throw new InvalidParameterException($"A rate of '{Population.Name}' needs a positive bin (got {BinMs} ms).");
}

/// <summary>
/// <paramref name="Variable"/> of the chosen <paramref name="Neurons"/> of <paramref name="Population"/>, sampled every
/// <paramref name="EveryMs"/> from <paramref name="EveryMs"/> on: row k holds the state at (k + 1)·EveryMs. In the time-step
/// engine EveryMs is a whole number of steps (the state after that step).
/// </summary>
public sealed record StateRecording(Population Population, StateVariable Variable, int[] Neurons, double EveryMs) : Recording(Population)
{
    /// <summary>Refuses neurons outside the population, a variable the model does not have, or a bad interval.</summary>
    public StateRecording Validated()
    {
        if (Neurons.Length == 0) throw new InvalidParameterException($"Recording {Variable.Name} of '{Population.Name}' needs at least one neuron.");
        foreach (var i in Neurons)
            if (i < 0 || i >= Population.Size)
                throw new InvalidParameterException($"'{Population.Name}' has neurons 0–{Population.Size - 1}; it has no neuron {i}.");
        if (Population.Model.StateVariables.All(v => v.Name != Variable.Name))
            throw new InvalidParameterException($"'{Population.Name}' ({Population.Model.GetType().Name}) has no state variable '{Variable.Name}'; it has " +
                                                $"{string.Join(", ", Population.Model.StateVariables.Select(v => v.Name))}.");
        if (!(EveryMs > 0) || !double.IsFinite(EveryMs)) throw new InvalidParameterException($"A state recording needs a positive interval (got {EveryMs} ms).");
        return this;
    }
}

/// <summary>Receives what the engines record. Calls for one recording come in time order.</summary>
public interface IRecordingSink
{
    /// <summary>Spikes of recording <paramref name="recording"/> (a spike or rate recording): neuron k fired at time k.</summary>
    void Spikes(int recording, ReadOnlySpan<int> neurons, ReadOnlySpan<double> timesMs);

    /// <summary>One sample of state recording <paramref name="recording"/>, at <paramref name="timeMs"/>, one value per recorded neuron.</summary>
    void State(int recording, double timeMs, ReadOnlySpan<float> values);
}
