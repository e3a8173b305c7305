using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Recording;

namespace SpikeSim.Tests.Support;

/// <summary>Runs a network on the host backend and returns what tests look at.</summary>
public static class Probe
{
    public static readonly Lazy<HostBackend> Host = new(() => new HostBackend());

    /// <summary>Runs <paramref name="steps"/> steps, recording <paramref name="variable"/> of every neuron of <paramref name="watched"/> and its spikes.</summary>
    public static (float[][] Trace, SpikeRecorder Spikes) Run(Network network, Population watched, StateVariable? variable, int steps,
        double dtMs, IComputeBackend? backend = null)
    {
        using var simulation = new TimeStepSimulation(network, backend ?? Host.Value, new TimeStepOptions(dtMs));
        var spikes = simulation.Observe(new SpikeRecorder(watched));
        var state = variable is null ? null : simulation.Observe(new StateRecorder(watched, variable, Enumerable.Range(0, watched.Size).ToArray()));
        simulation.RunSteps(steps);
        return (state?.Samples.ToArray() ?? [], spikes);
    }

    /// <summary>One population of <paramref name="model"/> with a constant current.</summary>
    public static (Network, Population) Single(INeuronModel model, float current, int size = 1, float? v0 = null, StateVariable? v = null)
    {
        var network = new Network();
        var population = network.AddPopulation("p", size, model);
        if (current != 0) network.Inject(Simulator.Inputs.CurrentInput.Constant(population, current));
        if (v0 is { } value) population.SetInitial(v!, Enumerable.Repeat(value, size).ToArray());
        return (network, population);
    }
}
