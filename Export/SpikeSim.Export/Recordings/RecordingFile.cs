using PureHDF;
using PureHDF.Selections;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Files;
using SpikeSim.Simulator.Recording;

namespace SpikeSim.Export.Recordings;

/// <summary>The run a recording file describes, written as the file's root attributes.</summary>
/// <param name="Engine">"step" or "event".</param>
/// <param name="Device">Where it ran, in words.</param>
/// <param name="DtMs">The time step (0 for the event engine, which has none).</param>
/// <param name="DurationMs">Simulated time.</param>
/// <param name="Seed">The run's seed.</param>
public sealed record RunDescription(string Engine, string Device, double DtMs, double DurationMs, ulong Seed);

/// <summary>
/// Recordings as data: an <see cref="IRecordingSink"/> that streams what the engines send to spool files beside the
/// target (so memory stays bounded however long the run) and, on <see cref="Complete"/>, writes one HDF5 file:
/// <code>
/// /&lt;population&gt;/spikes/neuron      int32 [S]       /&lt;population&gt;/spikes/time_ms   float64 [S]
/// /&lt;population&gt;/&lt;variable&gt;/values float32 [T, K]  /&lt;population&gt;/&lt;variable&gt;/neuron int32 [K]
///     attributes dt_ms (the sampling interval) and start_ms (the time of row 0)
/// /&lt;population&gt;/rate/values         float32 [B]     attribute bin_ms; bin b covers [b·bin_ms, (b+1)·bin_ms)
/// root attributes: engine, device, dt_ms, duration_ms, seed, spikesim_version
/// </code>
/// Written to a temporary file and renamed; the spools are removed either way.
/// </summary>
public sealed class RecordingFile : IRecordingSink, IDisposable
{
    private const int Chunk = 1 << 16;
    private readonly string _path, _spoolDirectory;
    private readonly IReadOnlyList<Recording> _recordings;
    private readonly Spool?[] _neurons, _times, _values;
    private readonly long[] _counts;
    private readonly double[] _firstSampleMs;
    private readonly List<int>?[] _bins;

    /// <summary>Prepares to record <paramref name="recordings"/> into the HDF5 file at <paramref name="path"/>.</summary>
    public RecordingFile(string path, IReadOnlyList<Recording> recordings)
    {
        _path = Path.GetFullPath(path);
        _recordings = recordings;
        var names = new HashSet<string>();
        foreach (var r in recordings)
        {
            if (r.Population.Name.Contains('/') || r.Population.Name.Length == 0)
                throw new InvalidParameterException($"Population '{r.Population.Name}' cannot name an HDF5 group (no '/', not empty).");
            if (!names.Add($"{r.Population.Name}/{DatasetGroup(r)}"))
                throw new InvalidParameterException($"'{r.Population.Name}/{DatasetGroup(r)}' is recorded twice; record it once.");
        }
        _spoolDirectory = Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(_path)!, $".{Path.GetFileName(_path)}.spool-{Guid.NewGuid():N}")).FullName;
        _neurons = new Spool?[recordings.Count];
        _times = new Spool?[recordings.Count];
        _values = new Spool?[recordings.Count];
        _counts = new long[recordings.Count];
        _firstSampleMs = new double[recordings.Count];
        _bins = new List<int>?[recordings.Count];
        for (var k = 0; k < recordings.Count; k++)
        {
            switch (recordings[k])
            {
                case SpikeRecording:
                    (_neurons[k], _times[k]) = (new Spool(_spoolDirectory, $"{k}.neuron"), new Spool(_spoolDirectory, $"{k}.time"));
                    break;
                case StateRecording:
                    _values[k] = new Spool(_spoolDirectory, $"{k}.values");
                    break;
                case RateRecording rate:
                    rate.Validated();
                    _bins[k] = [];
                    break;
            }
        }
    }

    /// <summary>Spikes received so far by recording <paramref name="recording"/>.</summary>
    public long Count(int recording) => _counts[recording];

    /// <inheritdoc />
    public void Spikes(int recording, ReadOnlySpan<int> neurons, ReadOnlySpan<double> timesMs)
    {
        _counts[recording] += neurons.Length;
        if (_bins[recording] is { } bins)
        {
            var binMs = ((RateRecording)_recordings[recording]).BinMs;
            foreach (var t in timesMs)
            {
                var bin = (int)Math.Floor(t / binMs);
                while (bins.Count <= bin) bins.Add(0);
                bins[bin]++;
            }
            return;
        }
        _neurons[recording]!.Write(neurons);
        _times[recording]!.Write(timesMs);
    }

    /// <inheritdoc />
    public void State(int recording, double timeMs, ReadOnlySpan<float> values)
    {
        if (_counts[recording]++ == 0) _firstSampleMs[recording] = timeMs;
        _values[recording]!.Write(values);
    }

    /// <summary>Writes the HDF5 file (temporary file, then rename) from what was recorded.</summary>
    public void Complete(RunDescription run)
    {
        foreach (var spool in _neurons.Concat(_times).Concat(_values)) spool?.Flush();
        var file = new H5File();
        file.Attributes["engine"] = run.Engine;
        file.Attributes["device"] = run.Device;
        file.Attributes["dt_ms"] = run.DtMs;
        file.Attributes["duration_ms"] = run.DurationMs;
        file.Attributes["seed"] = run.Seed;
        file.Attributes["spikesim_version"] = typeof(RecordingFile).Assembly.GetName().Version?.ToString(3) ?? "";
        var deferred = new List<Action<H5NativeWriter>>();
        for (var k = 0; k < _recordings.Count; k++)
        {
            var recording = _recordings[k];
            if (!file.TryGetValue(recording.Population.Name, out var existing)) file[recording.Population.Name] = existing = new H5Group();
            var population = (H5Group)existing;
            switch (recording)
            {
                case SpikeRecording:
                    population["spikes"] = new H5Group
                    {
                        ["neuron"] = Dataset<int>(_neurons[k]!, [(ulong)_counts[k]], deferred),
                        ["time_ms"] = Dataset<double>(_times[k]!, [(ulong)_counts[k]], deferred),
                    };
                    break;
                case StateRecording state:
                    var values = Dataset<float>(_values[k]!, [(ulong)_counts[k], (ulong)state.Neurons.Length], deferred);
                    values.Attributes["dt_ms"] = state.EveryMs;
                    values.Attributes["start_ms"] = _counts[k] > 0 ? _firstSampleMs[k] : state.EveryMs;
                    population[state.Variable.Name] = new H5Group { ["values"] = values, ["neuron"] = state.Neurons };
                    break;
                case RateRecording rate:
                    var bins = (int)Math.Ceiling(run.DurationMs / rate.BinMs - 1e-9);
                    var counts = _bins[k]!;
                    var hz = Enumerable.Range(0, bins).Select(b => (float)(b < counts.Count ? counts[b] / (rate.Population.Size * rate.BinMs * 1e-3) : 0)).ToArray();
                    var dataset = new H5Dataset<float[]>(hz, fileDims: [(ulong)hz.Length]);
                    dataset.Attributes["bin_ms"] = rate.BinMs;
                    population["rate"] = new H5Group { ["values"] = dataset };
                    break;
            }
        }
        AtomicFile.Write(_path, temporary =>
        {
            using var writer = file.BeginWrite(temporary);
            foreach (var write in deferred) write(writer);
        });
        Dispose();
    }

    // A dataset of a spool's values: small ones in one piece, large ones chunked and copied in slices, never whole.
    private static H5Dataset Dataset<T>(Spool spool, ulong[] dims, List<Action<H5NativeWriter>> deferred) where T : unmanaged
    {
        var total = dims.Aggregate(1UL, (a, b) => a * b);
        var width = dims.Length > 1 ? dims[1] : 1;
        if (total <= Chunk)
        {
            var all = spool.ReadAll<T>(checked((int)total));
            return new H5Dataset<T[]>(all, fileDims: dims);
        }
        var rowsPerChunk = Math.Max(1UL, Chunk / width);
        var dataset = new H5Dataset<T[]>(fileDims: dims, chunks: dims.Length == 1 ? [Chunk] : [(uint)rowsPerChunk, (uint)width]);
        deferred.Add(writer =>
        {
            var buffer = new T[rowsPerChunk * width];
            spool.Rewind();
            for (ulong row = 0; row < dims[0]; row += rowsPerChunk)
            {
                var rows = Math.Min(rowsPerChunk, dims[0] - row);
                var count = (int)(rows * width);
                spool.Read(buffer.AsSpan(0, count));
                var file = dims.Length == 1
                    ? (Selection)new HyperslabSelection(row, rows)
                    : new HyperslabSelection(2, [row, 0], [rows, width]);
                writer.Write(dataset, buffer, memorySelection: new HyperslabSelection(0, (ulong)count), fileSelection: file);
            }
        });
        return dataset;
    }

    private static string DatasetGroup(Recording r) => r switch
    {
        SpikeRecording => "spikes",
        RateRecording => "rate",
        StateRecording s => s.Variable.Name,
        _ => r.GetType().Name,
    };

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var spool in _neurons.Concat(_times).Concat(_values)) spool?.Dispose();
        if (Directory.Exists(_spoolDirectory)) Directory.Delete(_spoolDirectory, recursive: true);
    }

    /// <summary>An append-only file of unmanaged values, read back in order.</summary>
    private sealed class Spool(string directory, string name) : IDisposable
    {
        private readonly FileStream _stream = new(Path.Combine(directory, name), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 20);

        public void Write<T>(ReadOnlySpan<T> values) where T : unmanaged => _stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));

        public void Flush() => _stream.Flush();

        public void Rewind() => _stream.Position = 0;

        public void Read<T>(Span<T> destination) where T : unmanaged => _stream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(destination));

        public T[] ReadAll<T>(int count) where T : unmanaged
        {
            var values = new T[count];
            Rewind();
            Read(values.AsSpan());
            return values;
        }

        public void Dispose() => _stream.Dispose();
    }
}
