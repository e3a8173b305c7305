using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using SpikeSim.Learning.Layers;
using SpikeSim.Learning.Optimizers;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Files;

namespace SpikeSim.Learning.Training;

/// <summary>A checkpoint that cannot be read or does not fit the run; the message says which and why.</summary>
public sealed class CheckpointException(string message, Exception? inner = null) : SpikeSimException(message, inner);

/// <summary>What a checkpoint records besides tensors.</summary>
public sealed record CheckpointHeader(
    string Format,
    int Version,
    [property: JsonConverter(typeof(OptionNameConverter<TaskKind>))] TaskKind Task,
    SnnModelSpec Model,
    TrainingOptions Options,
    int EpochsDone,
    long OptimizerSteps,
    IReadOnlyList<EpochMetrics> History);

/// <summary>
/// The state of a training run after an epoch: model, options, metrics, parameters and optimiser state,
/// enough to resume bit-exactly. File layout: the magic <c>SPKCKPT1</c>, a length-prefixed UTF-8 JSON
/// header, the tensors (count, then length-prefixed little-endian float32 arrays: parameters in
/// network order, then optimiser state), and a SHA-256 of everything before it. Written to a temporary
/// file and renamed, so a crash never leaves a half-written checkpoint under the real name.
/// </summary>
public static class Checkpoint
{
    /// <summary>The file name inside a checkpoint folder.</summary>
    public const string FileName = "checkpoint.spkckpt";

    private const string Format = "spikesim-checkpoint";
    private const int Version = 1;
    private static readonly byte[] Magic = "SPKCKPT1"u8.ToArray();

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Writes the run's state to <paramref name="path"/> atomically.</summary>
    public static void Save(string path, TaskKind task, SnnModelSpec model, TrainingOptions options, int epochsDone,
        IReadOnlyList<EpochMetrics> history, SpikingNetwork network, IOptimizer optimizer)
    {
        var header = new CheckpointHeader(Format, Version, task, model, options, epochsDone, optimizer.StepCount, history);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            var json = JsonSerializer.SerializeToUtf8Bytes(header, Json);
            writer.Write(json.Length);
            writer.Write(json);
            var tensors = Tensors(network, optimizer).ToList();
            writer.Write(tensors.Count);
            foreach (var t in tensors)
            {
                var values = t.ToArray();
                writer.Write(values.Length);
                writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
            }
        }
        var hash = SHA256.HashData(stream.GetBuffer().AsSpan(0, (int)stream.Length));
        stream.Write(hash);
        AtomicFile.WriteAllBytes(path, stream.ToArray());
    }

    /// <summary>Reads and verifies the header (and the checksum of the whole file).</summary>
    public static CheckpointHeader ReadHeader(string path) => Read(path).Header;

    /// <summary>Restores parameters and optimiser state into a network built from the header's model.</summary>
    public static CheckpointHeader Restore(string path, SpikingNetwork network, IOptimizer? optimizer)
    {
        var (header, tensors) = Read(path);
        var targets = optimizer is null ? network.Parameters.Select(p => p.Value).ToList() : Tensors(network, optimizer).ToList();
        var expected = optimizer is null ? network.Parameters.Count() : targets.Count;
        if (optimizer is null ? tensors.Count < expected : tensors.Count != expected)
            throw new CheckpointException($"{path} holds {tensors.Count} tensors; this model and optimiser need {expected}.");
        for (var i = 0; i < targets.Count; i++)
        {
            if (tensors[i].Length != targets[i].Length)
                throw new CheckpointException($"{path}: tensor {i} has {tensors[i].Length} values; the model needs {targets[i].Length}.");
            targets[i].CopyFrom(tensors[i]);
        }
        if (optimizer is not null) optimizer.StepCount = header.OptimizerSteps;
        return header;
    }

    private static IEnumerable<Simulator.Compute.DeviceBuffer<float>> Tensors(SpikingNetwork network, IOptimizer optimizer)
        => network.Parameters.Select(p => p.Value).Concat(optimizer.State);

    private static (CheckpointHeader Header, List<float[]> Tensors) Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"Cannot read checkpoint {path}: {e.Message}", e);
        }
        if (bytes.Length < Magic.Length + 4 + 32 || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new CheckpointException($"{path} is not a SpikeSim checkpoint (no SPKCKPT1 header).");
        var body = bytes.AsSpan(0, bytes.Length - 32);
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - 32)))
            throw new CheckpointException($"{path} is corrupt: its checksum does not match (truncated or modified).");
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes, Magic.Length, body.Length - Magic.Length));
            var json = reader.ReadBytes(reader.ReadInt32());
            var header = JsonSerializer.Deserialize<CheckpointHeader>(json, Json)
                ?? throw new CheckpointException($"{path} has an empty header.");
            if (header.Format != Format) throw new CheckpointException($"{path} is a '{header.Format}' file, not a {Format}.");
            if (header.Version > Version) throw new CheckpointException($"{path} is checkpoint version {header.Version}; this SpikeSim reads up to {Version}.");
            var count = reader.ReadInt32();
            var tensors = new List<float[]>();
            for (var i = 0; i < count; i++)
            {
                var length = reader.ReadInt32();
                var values = new float[length];
                reader.Read(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
                if (values.Any(v => !float.IsFinite(v))) throw new CheckpointException($"{path}: tensor {i} holds NaN or infinite values.");
                tensors.Add(values);
            }
            return (header, tensors);
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException or ArgumentException or OverflowException or NotSupportedException)
        {
            throw new CheckpointException($"{path} is malformed: {e.Message}", e);
        }
    }
}
