using System.Diagnostics;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Models;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Recording;

namespace SpikeSim.Cli.Runs;

/// <summary>What one CUBA run produced.</summary>
internal sealed record CubaResult(
    int N, long Synapses, long Spikes, double MeanRateHz, double RunSeconds, string Device,
    long SynapseBytes, SpikeRecorder Raster, RateRecorder Rate)
{
    public double BytesPerSynapse => Synapses == 0 ? 0 : (double)SynapseBytes / Synapses;
}

/// <summary>Builds and runs the Vogels–Abbott CUBA network; only <see cref="TimeStepSimulation.Run"/> is timed.</summary>
internal static class CubaRun
{
    public static CubaResult Run(int n, double durationMs, double dtMs, ulong seed, IComputeBackend backend,
        long rasterCapacity, IProgress<int>? progress = null)
    {
        if (!(durationMs > 0) || double.IsInfinity(durationMs))
            throw new InvalidParameterException($"--duration-ms must be a positive time (got {durationMs}).");
        Discretization.CheckStep(dtMs);
        var stepCount = Math.Round(durationMs / dtMs);
        if (stepCount >= int.MaxValue)
            throw new InvalidParameterException($"--duration-ms {durationMs} is {stepCount:0} steps of {dtMs} ms; the most is {int.MaxValue}.");
        var steps = (int)stepCount;
        var (network, neurons) = VogelsAbbottCuba.Build(n, seed);
        using var simulation = new TimeStepSimulation(network, backend, new TimeStepOptions(dtMs, Seed: seed));
        var raster = simulation.Observe(new SpikeRecorder(neurons, rasterCapacity));
        var rate = simulation.Observe(new RateRecorder(neurons, binSteps: Math.Max(1, (int)Math.Round(1.0 / dtMs))));
        var clock = Stopwatch.StartNew();
        simulation.Run(steps, progress);
        var seconds = clock.Elapsed.TotalSeconds;
        return new CubaResult(n, network.SynapseCount, raster.Total, raster.MeanRateHz, seconds, backend.Description,
            simulation.SynapseBytes, raster, rate);
    }
}
