using System.Diagnostics;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Recording;
using SpikeSim.Simulator.Synapses;

namespace SpikeSim.Cli.Runs;

/// <summary>Which engine runs a network.</summary>
public enum EngineKind
{
    /// <summary>The time-step engine.</summary>
    Step,
    /// <summary>The event engine (exact spike times).</summary>
    Event,
}

/// <summary>What a run of either engine produced, for printing, plotting and JSON.</summary>
public sealed record NetworkRunResult(
    EngineKind Engine, int Neurons, long Synapses, int[] SpikeNeurons, double[] SpikeTimesMs, long SpikeCount,
    double DurationMs, double RunSeconds, long SynapticEvents, long SynapseBytes, string Device, string? Warning)
{
    public double MeanRateHz => SpikeCount / (Neurons * DurationMs * 1e-3);
    public double SynapticEventsPerSecond => RunSeconds > 0 ? SynapticEvents / RunSeconds : 0;
    public double BytesPerSynapse => Synapses == 0 ? 0 : (double)SynapseBytes / Synapses;
}

/// <summary>
/// Runs a network in the engine asked for and records the spikes of all its populations, numbered
/// one after the other in population order. Only the simulation itself is timed. Synaptic events
/// are counted the same way for both engines: each spike times its neuron's outgoing synapses.
/// </summary>
public static class NetworkRun
{
    public static NetworkRunResult Run(Network network, EngineKind engine, double durationMs, double dtMs, ulong seed,
        IComputeBackend? backend, long spikeCapacity, IProgress<int>? progress = null, int progressTotal = 1)
    {
        if (!(durationMs > 0) || double.IsInfinity(durationMs))
            throw new InvalidParameterException($"--duration-ms must be a positive time (got {durationMs}).");
        var offsets = network.Populations.Select(p => network.Populations.TakeWhile(q => q != p).Sum(q => q.Size)).ToArray();
        var neurons = network.Populations.Sum(p => p.Size);
        return engine == EngineKind.Step
            ? RunSteps(network, durationMs, dtMs, seed, backend ?? throw new InvalidOperationException("The step engine needs a backend."), spikeCapacity, progress, offsets, neurons)
            : RunEvents(network, durationMs, seed, spikeCapacity, progress, progressTotal, offsets, neurons);
    }

    private static NetworkRunResult RunSteps(Network network, double durationMs, double dtMs, ulong seed, IComputeBackend backend,
        long capacity, IProgress<int>? progress, int[] offsets, int neurons)
    {
        Discretization.CheckStep(dtMs);
        var stepCount = Math.Round(durationMs / dtMs);
        if (stepCount >= int.MaxValue)
            throw new InvalidParameterException($"--duration-ms {durationMs} is {stepCount:0} steps of {dtMs} ms; the most is {int.MaxValue}.");
        using var simulation = new TimeStepSimulation(network, backend, new TimeStepOptions(dtMs, Seed: seed));
        var recorders = network.Populations.Select(p => simulation.Observe(new SpikeRecorder(p, capacity))).ToArray();
        var clock = Stopwatch.StartNew();
        simulation.Run((int)stepCount, progress);
        var seconds = clock.Elapsed.TotalSeconds;
        var (ids, times) = Collect(recorders.Select((r, k) => (r.Neurons.ToArray(), r.SpikeSteps.ToArray().Select(s => s * dtMs).ToArray(), offsets[k])));
        return new NetworkRunResult(EngineKind.Step, neurons, network.SynapseCount, ids, times, recorders.Sum(r => r.Total), durationMs, seconds,
            SynapticEvents(network, recorders.Select(r => r.Neurons.ToArray()).ToArray()), simulation.SynapseBytes, backend.Description,
            recorders.Select(r => r.Warning).FirstOrDefault(w => w is not null));
    }

    private static NetworkRunResult RunEvents(Network network, double durationMs, ulong seed, long capacity,
        IProgress<int>? progress, int progressTotal, int[] offsets, int neurons)
    {
        var simulation = new EventSimulation(network, new EventOptions(seed));
        var recorders = network.Populations.Select(p => simulation.Observe(new SpikeTimeRecorder(p, capacity))).ToArray();
        var timeProgress = progress is null ? null : new TimeToSteps(progress, progressTotal / durationMs);
        var clock = Stopwatch.StartNew();
        simulation.Run(durationMs, timeProgress);
        var seconds = clock.Elapsed.TotalSeconds;
        var (ids, times) = Collect(recorders.Select((r, k) => (r.Neurons.ToArray(), r.TimesMs.ToArray(), offsets[k])));
        var warning = recorders.Select(r => r.Warning).FirstOrDefault(w => w is not null);
        var memory = $"event queue peak {simulation.PeakPendingEvents} events × {EventSimulation.BytesPerPendingEvent} bytes";
        return new NetworkRunResult(EngineKind.Event, neurons, network.SynapseCount, ids, times, recorders.Sum(r => r.Total), durationMs, seconds,
            SynapticEvents(network, recorders.Select(r => r.Neurons.ToArray()).ToArray()), 0, $"CPU (event engine, one thread; {memory})", warning);
    }

    private static (int[] Neurons, double[] Times) Collect(IEnumerable<(int[] Neurons, double[] Times, int Offset)> parts)
    {
        var list = parts.ToList();
        return (list.SelectMany(p => p.Neurons.Select(n => n + p.Offset)).ToArray(), list.SelectMany(p => p.Times).ToArray());
    }

    /// <summary>Σ over recorded spikes of the firing neuron's outgoing synapse count.</summary>
    private static long SynapticEvents(Network network, int[][] spikesByPopulation)
    {
        long events = 0;
        foreach (var projection in network.Projections)
        {
            var spikes = spikesByPopulation[projection.Source.Index];
            events += projection.Connectivity switch
            {
                SparseConnectivity c => spikes.Sum(i => (long)(c.RowStart[i + 1] - c.RowStart[i])),
                DenseConnectivity c => (long)spikes.Length * c.Targets,
                _ => spikes.Length,
            };
        }
        return events;
    }

    private sealed class TimeToSteps(IProgress<int> inner, double stepsPerMs) : IProgress<double>
    {
        public void Report(double value) => inner.Report((int)(value * stepsPerMs));
    }
}
