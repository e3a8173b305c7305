using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using SpikeSim.Simulator.Files;

namespace SpikeSim.Learning.Training;

/// <summary>
/// The checkpoint of a command made of independent runs (the models, arms and seeds of <c>compare</c>, the variants
/// and seeds of <c>meta backpropamine</c>): the settings they share and the result of every finished run, saved
/// after each. A resumed command skips the runs it holds; more seeds than the first run had extend it. A
/// <see cref="ChecksummedFile"/> with the magic <c>SPKRUNS1</c> and a UTF-8 JSON body.
/// </summary>
/// <typeparam name="TRun">A finished run's result; serialised as JSON.</typeparam>
public sealed class RunLedger<TRun> where TRun : class
{
    private const string Format = "spikesim-runs";
    private static readonly byte[] Magic = "SPKRUNS1"u8.ToArray();

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    private readonly string? _path;
    private readonly JsonElement _settings;
    private readonly Dictionary<string, TRun> _runs;
    private readonly Lock _lock = new();

    private RunLedger(string? path, JsonElement settings, Dictionary<string, TRun> runs) => (_path, _settings, _runs) = (path, settings, runs);

    /// <summary>Finished runs held.</summary>
    public int Count
    {
        get { lock (_lock) return _runs.Count; }
    }

    /// <summary>
    /// A new ledger at <paramref name="path"/> (none: nothing is saved), or with <paramref name="resume"/> the one there,
    /// which must have been written with the same <paramref name="settings"/> (compared as JSON).
    /// </summary>
    /// <exception cref="CheckpointException">The file is damaged, malformed, or of a run with other settings.</exception>
    public static RunLedger<TRun> Open(string? path, bool resume, object settings)
    {
        var mine = JsonSerializer.SerializeToElement(settings, settings.GetType(), Json);
        if (!resume || path is null) return new RunLedger<TRun>(path, mine, []);
        LedgerFile file;
        try
        {
            file = JsonSerializer.Deserialize<LedgerFile>(ChecksummedFile.Read(path, Magic, "run checkpoint"), Json)
                ?? throw new JsonException("it is empty");
            if (file.Format != Format || file.Runs is null || file.Runs.Any(r => r.Value is null)) throw new JsonException("its runs are missing");
        }
        catch (Exception e) when (e is DamagedFileException or JsonException or NotSupportedException)
        {
            throw new CheckpointException($"Cannot resume from {path}: {e.Message}", e);
        }
        if (file.Settings.GetRawText() != mine.GetRawText())
            throw new CheckpointException($"{path} was written by a run with other settings ({file.Settings.GetRawText()}); resume with the same options, or start a new --checkpoint file.");
        return new RunLedger<TRun>(path, mine, file.Runs);
    }

    /// <summary>The finished run under <paramref name="key"/>, if the ledger holds it.</summary>
    public bool TryGet(string key, [MaybeNullWhen(false)] out TRun run)
    {
        lock (_lock) return _runs.TryGetValue(key, out run);
    }

    /// <summary>Records a finished run and saves the ledger (thread-safe).</summary>
    public void Add(string key, TRun run)
    {
        lock (_lock)
        {
            _runs[key] = run;
            if (_path is not null)
            {
                var bytes = JsonSerializer.SerializeToUtf8Bytes(new LedgerFile(Format, _settings, _runs), Json);
                ChecksummedFile.Write(_path, Magic, writer => writer.Write(bytes));
            }
        }
    }

    private sealed record LedgerFile(string Format, JsonElement Settings, Dictionary<string, TRun> Runs);
}
