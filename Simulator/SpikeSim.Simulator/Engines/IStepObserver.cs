using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Simulator.Engines;

/// <summary>Something that looks at the network after each step: a recorder, a progress meter.</summary>
public interface IStepObserver
{
    /// <summary>Called once per step, after spikes were delivered.</summary>
    void OnStep(IStepView view);
}

/// <summary>What an observer can read after a step.</summary>
public interface IStepView
{
    /// <summary>The step just completed (time = step·dt).</summary>
    int Step { get; }

    /// <summary>The step length in ms.</summary>
    double DtMs { get; }

    /// <summary>The neurons of <paramref name="population"/> that fired in this step, in ascending order.</summary>
    ReadOnlySpan<int> Spikes(Population population);

    /// <summary>Reads <paramref name="variable"/> of <paramref name="population"/> at <paramref name="neurons"/> into <paramref name="destination"/>.</summary>
    void ReadState(Population population, StateVariable variable, ReadOnlySpan<int> neurons, Span<float> destination);
}
