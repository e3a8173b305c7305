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
/// enough to resume bit-exactly. A <see cref="ChecksummedFile"/> with the magic <c>SPKCKPT1</c> whose body is a
/// length-prefixed UTF-8 JSON header and the tensors (count, then length-prefixed little-endian float32 arrays:
/// parameters in network order, then optimiser state). Written to a temporary file and renamed, so a crash never
/// leaves a half-written checkpoint under the real name.
/// </summary>
public static class Checkpoint
{
    /// <summary>The file name inside the checkpoint folders SpikeSim 0.1's <c>train</c> wrote.</summary>
    public const string LegacyFileName = "checkpoint.spkckpt";

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
        ChecksummedFile.Write(path, Magic, writer =>
        {
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
        });
    }

    /// <summary>Whether <paramref name="path"/> is a training checkpoint (by its magic; the checksum is tested on reading).</summary>
    public static bool IsCheckpoint(string path) => ChecksummedFile.StartsWith(path, Magic);

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
        if (Directory.Exists(path))
            throw new CheckpointException($"{path} is a folder; a checkpoint is a file (train checkpoints of SpikeSim 0.1 were folders: give {Path.Combine(path, LegacyFileName)}).");
        byte[] body;
        try
        {
            body = ChecksummedFile.Read(path, Magic, "training checkpoint");
        }
        catch (DamagedFileException e)
        {
            throw new CheckpointException(e.Message, e);
        }
        try
        {
            using var reader = new BinaryReader(new MemoryStream(body));
            var json = reader.ReadBytes(reader.ReadInt32());
            var header = JsonSerializer.Deserialize<CheckpointHeader>(json, Json)
                ?? throw new CheckpointException($"{path} has an empty header.");
            if (header.Format != Format) throw new CheckpointException($"{path} is a '{header.Format}' file, not a {Format}.");
            if (header.Model is null || header.Options is null || header.History is null) throw new CheckpointException($"{path} has no model, options or history.");
            try
            {
                header.Model.Validate();
                header.Options.Validate();
            }
            catch (Simulator.Errors.InvalidParameterException e)
            {
                throw new CheckpointException($"{path} holds values no run can have: {e.Message}", e);
            }
            if (header.Version > Version) throw new CheckpointException($"{path} is checkpoint version {header.Version}; this SpikeSim reads up to {Version}.");
            if (header.EpochsDone < 0 || header.EpochsDone > header.Options.Epochs || header.History.Count != header.EpochsDone || header.OptimizerSteps < 0)
                throw new CheckpointException($"{path} is inconsistent: {header.EpochsDone} epochs done of {header.Options.Epochs}, {header.History.Count} recorded, {header.OptimizerSteps} optimiser steps.");
            var count = reader.ReadInt32();
            if (count < 0 || count > body.Length / 4) throw new CheckpointException($"{path} declares {count} tensors; the file is too short for them.");
            var tensors = new List<float[]>();
            for (var i = 0; i < count; i++)
            {
                var length = reader.ReadInt32();
                if (length < 0 || (long)length * 4 > reader.BaseStream.Length - reader.BaseStream.Position)
                    throw new CheckpointException($"{path}: tensor {i} declares {length} values; the file is too short for them.");
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
