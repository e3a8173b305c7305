using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Recording;

namespace SpikeSim.Simulator.Engines;

/// <summary>Which engine runs a network.</summary>
public enum EngineKind
{
    /// <summary>The time-step engine: every neuron every step, on any compute backend.</summary>
    Step,

    /// <summary>The event engine: exact, off-grid spike times, on one CPU thread.</summary>
    Event,
}

/// <summary>
/// What both engines offer: built from a <see cref="Networks.Network"/>, run for a duration, and recorded. The
/// engines differ in how they get there (every step on a device; from event to event in closed form), not in
/// what a caller sees. <see cref="Simulation.Create"/> builds either.
/// </summary>
public interface ISimulationEngine : IDisposable
{
    /// <summary>Which engine this is.</summary>
    EngineKind Kind { get; }

    /// <summary>The network it runs.</summary>
    Network Network { get; }

    /// <summary>Simulated time so far, in ms.</summary>
    double TimeMs { get; }

    /// <summary>Where it runs, in words ("CPU (2 threads, host launcher)", "CPU (event engine, one thread)").</summary>
    string Description { get; }

    /// <summary>Bytes the engine holds for synapses (0 where it keeps the network's own arrays).</summary>
    long SynapseBytes { get; }

    /// <summary>
    /// Sends what <paramref name="recordings"/> ask for to <paramref name="sink"/> as the run goes (recording k of the list
    /// is index k in the sink's calls). A recording the engine cannot make is refused by name before any step.
    /// </summary>
    void Record(IReadOnlyList<Recording.Recording> recordings, IRecordingSink sink);

    /// <summary>The weights of <paramref name="projection"/> now (a learning projection's current values), in its connectivity's order.</summary>
    float[] Weights(Projection projection);

    /// <summary>Advances the simulation by <paramref name="durationMs"/>; <paramref name="progress"/> hears the simulated time.</summary>
    void Run(double durationMs, IProgress<double>? progress = null, CancellationToken cancel = default);
}

/// <summary>Builds either engine for a network: "run network N on engine E, device D" is this call and <see cref="ISimulationEngine.Run"/>.</summary>
public static class Simulation
{
    /// <summary>
    /// The engine <paramref name="engine"/> for <paramref name="network"/>: the time-step engine at <paramref name="dtMs"/> on
    /// <paramref name="backend"/> (which the caller owns), or the event engine (which takes no backend and no step).
    /// </summary>
    public static ISimulationEngine Create(Network network, EngineKind engine, double dtMs, ulong seed, Compute.IComputeBackend? backend) => engine switch
    {
        EngineKind.Step => new TimeStepSimulation(network, backend ?? throw new ArgumentNullException(nameof(backend), "The time-step engine runs on a backend."),
            new TimeStepOptions(dtMs, Seed: seed)),
        EngineKind.Event => new EventSimulation(network, new EventOptions(seed)),
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, null),
    };
}
