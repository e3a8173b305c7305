using System.Diagnostics;
using SpikeSim.Cli.Output;
using SpikeSim.Export.Recordings;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Recording;
using SpikeSim.Simulator.Synapses;

namespace SpikeSim.Cli.Runs;

/// <summary>
/// What a run of either engine produced, for printing, plotting and JSON, in memory bounded by the network and the run's length,
/// never by its spike count: the count of every spike; the population rate of the whole run (<see cref="Rate"/>, 1 ms bins, wider
/// beyond 10⁷ of them); each neuron's ISI regularity from <c>StatisticsFromMs</c> on (<see cref="Isi"/>); and, for a raster, the
/// spikes of the first <see cref="RasterPlot.MaxNeuronsShown"/> neurons in the first <c>RasterMs</c> (neurons numbered one population
/// after another). <c>--record spikes</c> streams every spike to a file instead.
/// </summary>
public sealed record NetworkRunResult(
    EngineKind Engine, int Neurons, long Synapses, long SpikeCount, double DurationMs, double RunSeconds, long SynapticEvents, long SynapseBytes,
    string Device, RateHistogram Rate, IsiStatistics Isi, double RasterMs, int[] RasterNeurons, double[] RasterTimesMs,
    double BuildSeconds, IReadOnlyList<PopulationSummary> Populations)
{
    public double MeanRateHz => SpikeCount / (Neurons * DurationMs * 1e-3);
    public double SynapticEventsPerSecond => RunSeconds > 0 ? SynapticEvents / RunSeconds : 0;
    public double BytesPerSynapse => Synapses == 0 ? 0 : (double)SynapseBytes / Synapses;
}

/// <summary>
/// One population's activity from the run's <c>statisticsFromMs</c> on: its mean rate and the mean ISI CV of its neurons
/// with at least three spikes (NaN where none has).
/// </summary>
public sealed record PopulationSummary(string Name, int Neurons, long Spikes, double RateHz, double MeanIsiCv);

/// <summary>
/// Runs a network in the engine asked for (<see cref="Simulation.Create"/>), summarises its spikes as they come
/// (<see cref="NetworkRunResult"/>), and streams what <c>--record</c> asked for to its HDF5 file. Only the simulation itself is
/// timed. Synaptic events are counted the same way for both engines: each spike times its neuron's outgoing synapses.
/// </summary>
public static class NetworkRun
{
    /// <summary>
    /// One run. Spikes of the first <see cref="RasterPlot.MaxNeuronsShown"/> neurons before <c>rasterMs</c> are kept for a raster (0: none);
    /// ISI statistics are accumulated from <c>statisticsFromMs</c> on (a transient to leave out).
    /// </summary>
    public static NetworkRunResult Run(Network network, EngineKind engine, double durationMs, double dtMs, ulong seed,
        IComputeBackend? backend, double rasterMs = 0, double statisticsFromMs = 0, IProgress<int>? progress = null, int progressTotal = 1,
        (IReadOnlyList<Recording> Recordings, string Path)? record = null)
    {
        if (!(durationMs > 0) || double.IsInfinity(durationMs))
            throw new InvalidParameterException($"--duration-ms must be a positive time (got {durationMs}).");
        if (engine == EngineKind.Step)
        {
            Discretization.CheckStep(dtMs);
            if (Math.Round(durationMs / dtMs) >= int.MaxValue)
                throw new InvalidParameterException($"--duration-ms {durationMs} is {Math.Round(durationMs / dtMs):0} steps of {dtMs} ms; the most is {int.MaxValue}.");
        }
        var build = Stopwatch.StartNew();
        using var simulation = Simulation.Create(network, engine, dtMs, seed, backend);
        var buildSeconds = build.Elapsed.TotalSeconds;
        var summary = new Summary(network, durationMs, Math.Min(rasterMs, durationMs), statisticsFromMs);
        simulation.Record([.. network.Populations.Select(p => (Recording)new SpikeRecording(p))], summary);
        using var file = record is { } r ? new RecordingFile(r.Path, r.Recordings) : null;
        if (file is not null) simulation.Record(record!.Value.Recordings, file);
        var clock = Stopwatch.StartNew();
        simulation.Run(durationMs, progress is null ? null : new TimeToSteps(progress, progressTotal / durationMs));
        var seconds = clock.Elapsed.TotalSeconds;
        file?.Complete(new RunDescription(OptionName.Of(engine), simulation.Description, engine == EngineKind.Step ? dtMs : 0, durationMs, seed));
        return new NetworkRunResult(engine, summary.Neurons, network.SynapseCount, summary.Total, durationMs, seconds, summary.SynapticEvents(network),
            simulation.SynapseBytes, simulation.Description, summary.Rate, summary.Isi, summary.RasterMs, [.. summary.RasterNeurons], [.. summary.RasterTimes],
            buildSeconds, summary.Populations(network));
    }

    /// <summary>Counts spikes per neuron (for the synaptic events), bins the population rate, accumulates ISIs, keeps the raster's spikes.</summary>
    private sealed class Summary(Network network, double durationMs, double rasterMs, double statisticsFromMs) : IRecordingSink
    {
        private readonly int[] _offsets = [.. network.Populations.Select(p => network.Populations.TakeWhile(q => q != p).Sum(q => q.Size))];
        private readonly long[][] _perNeuron = [.. network.Populations.Select(p => new long[p.Size])];
        private readonly long[] _late = new long[network.Populations.Count];

        public int Neurons { get; } = network.Populations.Sum(p => p.Size);
        public long Total { get; private set; }
        public double RasterMs => rasterMs;
        public RateHistogram Rate { get; } = RateHistogram.Covering(durationMs);
        public IsiStatistics Isi { get; } = new(network.Populations.Sum(p => p.Size));
        public List<int> RasterNeurons { get; } = [];
        public List<double> RasterTimes { get; } = [];

        public void Spikes(int recording, ReadOnlySpan<int> neurons, ReadOnlySpan<double> timesMs)
        {
            Total += neurons.Length;
            var counts = _perNeuron[recording];
            var offset = _offsets[recording];
            for (var k = 0; k < neurons.Length; k++)
            {
                counts[neurons[k]]++;
                var (neuron, t) = (neurons[k] + offset, timesMs[k]);
                Rate.Add(t);
                if (t >= statisticsFromMs)
                {
                    Isi.Add(neuron, t);
                    _late[recording]++;
                }
                if (t < rasterMs && neuron < RasterPlot.MaxNeuronsShown)
                {
                    RasterNeurons.Add(neuron);
                    RasterTimes.Add(t);
                }
            }
        }

        public void State(int recording, double timeMs, ReadOnlySpan<float> values) { }

        public PopulationSummary[] Populations(Network network)
        {
            var seconds = Math.Max(0, durationMs - statisticsFromMs) * 1e-3;
            return [.. network.Populations.Select(p => new PopulationSummary(p.Name, p.Size, _late[p.Index],
                seconds > 0 ? _late[p.Index] / (p.Size * seconds) : double.NaN, Isi.MeanCv(_offsets[p.Index], p.Size)))];
        }

    /// <summary>Σ over spikes of the firing neuron's outgoing synapse count.</summary>
        public long SynapticEvents(Network network)
        {
            long events = 0;
            foreach (var projection in network.Projections)
            {
                var counts = _perNeuron[projection.Source.Index];
                if (!counts.AsSpan().ContainsAnyExcept(0)) continue;
                var degrees = projection.Connectivity.OutDegrees();
                for (var i = 0; i < counts.Length; i++) events += counts[i] * degrees[i];
            }
            return events;
        }
    }

    private sealed class TimeToSteps(IProgress<int> inner, double stepsPerMs) : IProgress<double>
    {
        public void Report(double value) => inner.Report((int)(value * stepsPerMs));
    }
}
