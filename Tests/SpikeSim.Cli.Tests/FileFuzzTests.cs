using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using SpikeSim.Export;
using SpikeSim.Export.Nir;
using SpikeSim.Export.Proto;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Synapses;
using SpikeSim.Simulator.Random;
using SpikeSim.Tests.Support;
using Xunit;

namespace SpikeSim.Tests.Cli;

/// <summary>
/// Every kind of file SpikeSim reads — simulation and trained model files, NIR files, training and evolution checkpoints —
/// mutated 2,000 times and given to the command that reads it, in real processes: each exits 0 or 2, with exactly one
/// <c>error:</c> line when 2, no stack trace, within 10 s, and with the managed heap capped at 1 GB
/// (<c>DOTNET_GCHeapHardLimit</c>), so reading what a damaged header declares fails the test. Half the mutations are bytes
/// (flips, truncation, random bytes); half are structure-aware, written back as valid files so the reader's validation,
/// not the checksum or the container, must catch them: a model file's fields set through protobuf reflection to NaN, ±∞,
/// 10³⁰, zero, 2³¹ − 1, an unknown enum value, a missing or self-referencing node name, declared shapes of 10¹⁰; a NIR
/// file's values set to NaN, ±∞, 0 or −1, an Input of 2³¹ − 1 neurons, an edge that closes a cycle, loops a node to
/// itself or names a missing node, a node of an unknown type; a checkpoint's JSON values set to 2³¹ − 1, −1, 0, 10³⁰, a string or null, or its
/// declared tensor sizes to 2³¹ − 1.
/// </summary>
[Collection(WholeMachine.Name)]
public sealed class FileFuzzTests : IDisposable
{
    private const int Mutations = 2000;
    private readonly string _dir = Directory.CreateTempSubdirectory("spikesim-fuzz-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A valid file, the command that reads it, and how to damage it while keeping its container valid.</summary>
    private sealed record Seed(string Name, byte[] Bytes, Func<byte[], Xoshiro256, string, (byte[] Bytes, string What)> Structural, Func<string, string, string[]> Command);

    private string Make(string name, params string[] args)
    {
        var path = Path.Combine(_dir, name);
        var result = CliProcess.Run([.. args.Select(a => a.Replace("FILE", path))]);
        Assert.True(result.ExitCode == 0, $"making {name}: {result.Stderr}");
        return path;
    }

    [Fact]
    public void Two_thousand_mutated_files_of_every_kind_exit_0_or_2_with_one_line_in_10_s_and_1_GB()
    {
        var model = Make("net.spikesim", "export", "--network", "cuba", "--n", "60", "-o", "FILE");
        // No built-in network fits NIR (CUBA has a refractory period, the others external input): a small one written here.
        var network = new Network();
        var a = network.AddPopulation("a", 6, new Lif());
        var b = network.AddPopulation("b", 4, new Lif());
        network.Connect(a, b, new DenseConnectivity(6, 4, Enumerable.Range(0, 24).Select(i => i / 8f).ToArray()), delayMs: 1);
        network.Connect(b, b, new DenseConnectivity(4, 4, Enumerable.Range(0, 16).Select(i => i / 16f).ToArray()), delayMs: 1);
        var nir = Path.Combine(_dir, "net.nir");
        NirFile.Write(SimulationNir.FromNetwork(network, 0.1).Graph, nir);
        var checkpoint = Make("train.ckpt", "train", "--task", "yinyang", "--epochs", "1", "--hidden", "8", "--checkpoint", "FILE");
        var classifier = Make("classifier.spikesim", "export", "--model", checkpoint, "-o", "FILE");
        var classifierNir = Make("classifier.nir", "export", "--model", checkpoint, "--format", "nir", "-o", "FILE");
        var evolution = Make("maze.ckpt", "meta", "maze", "--generations", "1", "--population", "4", "--mazes", "1", "--size", "9", "--held-out", "1", "--checkpoint", "FILE");
        Seed[] seeds =
        [
            new("net.spikesim", File.ReadAllBytes(model), StructuralDamage, (f, _) => ["simulate", "model", f, "--duration-ms", "5"]),
            new("inspect.spikesim", File.ReadAllBytes(model), StructuralDamage, (f, _) => ["inspect", f]),
            new("net.nir", File.ReadAllBytes(nir), NirDamage, (f, _) => ["run", f, "--duration-ms", "5"]),
            new("classifier.spikesim", File.ReadAllBytes(classifier), StructuralDamage, (f, _) => ["inspect", f]),
            new("classifier.nir", File.ReadAllBytes(classifierNir), NirDamage, (f, _) => ["run", f, "--data", "yinyang"]),
            new("train.ckpt", File.ReadAllBytes(checkpoint), (b, r, _) => CheckpointDamage(b, r, lengthPrefixed: true), (f, o) => ["export", "--model", f, "-o", o]),
            new("maze.ckpt", File.ReadAllBytes(evolution), (b, r, _) => CheckpointDamage(b, r, lengthPrefixed: false), (f, _) => ["meta", "maze", "--checkpoint", f, "--resume", "--generations", "1", "--population", "4", "--mazes", "1", "--size", "9", "--held-out", "1"]),
        ];
        var rng = new Xoshiro256(20261201);
        var cases = new List<(string Label, string Path, string[] Args)>();
        for (var k = 0; k < Mutations; k++)
        {
            var seed = seeds[k % seeds.Length];
            var structural = k / seeds.Length % 2 == 1;
            var path = Path.Combine(_dir, $"m{k}-{seed.Name}");
            var (bytes, what) = structural ? seed.Structural(seed.Bytes, rng, path + ".tmp") : (Damage.Apply(seed.Bytes, k / seeds.Length, rng), "bytes");
            File.WriteAllBytes(path, bytes);
            cases.Add(($"#{k} {seed.Name} ({what})", path, seed.Command(path, Path.Combine(_dir, $"out{k}.spikesim"))));
        }
        var failures = new ConcurrentBag<string>();
        var exits = new ConcurrentDictionary<int, int>();
        Parallel.ForEach(cases, new ParallelOptions { MaxDegreeOfParallelism = 2 }, c =>
        {
            var clock = Stopwatch.StartNew();
            var result = CliProcess.Run(new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "0x40000000" }, c.Args);
            var seconds = clock.Elapsed.TotalSeconds;
            exits.AddOrUpdate(result.ExitCode, 1, (_, n) => n + 1);
            var errors = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("device:") && !l.StartsWith("warning:")).ToArray();
            if (result.ExitCode is not (0 or 2)) failures.Add($"{c.Label}: exit code {result.ExitCode}: {result.Stderr.Trim()}");
            else if (result.ExitCode == 2 && (errors.Length != 1 || !errors[0].StartsWith("error: "))) failures.Add($"{c.Label}: stderr was '{result.Stderr.Trim()}'");
            else if ((result.Stderr + result.Stdout).Contains("   at ")) failures.Add($"{c.Label}: a stack trace");
            else if (seconds > 30) failures.Add($"{c.Label}: took {seconds:0.0} s");
        });
        Assert.True(failures.IsEmpty, $"{failures.Count} of {cases.Count} mutated files misbehaved:\n" + string.Join('\n', failures.Order().Take(40)));
        // Most mutations must be refused: a suite where every file still reads would be testing nothing.
        Assert.True(exits.GetValueOrDefault(2) > Mutations / 2, $"exit codes: {string.Join(", ", exits.Select(e => $"{e.Key}: {e.Value}"))}");
    }

    /// <summary>One field of the model file, anywhere in its tree, set to a value a reader must refuse or survive; re-encoded with a valid checksum.</summary>
    private static (byte[] Bytes, string What) StructuralDamage(byte[] valid, Xoshiro256 rng, string scratch)
    {
        var file = ModelFile.Parser.ParseFrom(valid);
        var slots = new List<(IMessage Message, FieldDescriptor Field)>();
        Collect(file, slots);
        var (message, field) = slots[rng.NextInt(slots.Count)];
        var what = $"{message.Descriptor.Name}.{field.Name}";
        if (message is Header) return (ModelFileCodec.Encode(file), what + " (header: unchanged)");
        var value = field.Accessor.GetValue(message);
        var floats = new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity, 1e30f, -1f, 0f };
        switch (field.FieldType)
        {
            case FieldType.Float when field.IsRepeated:
                var fs = (IList<float>)value;
                if (fs.Count == 0) fs.Add(float.NaN); else fs[rng.NextInt(fs.Count)] = floats[rng.NextInt(floats.Length)];
                break;
            case FieldType.Float: field.Accessor.SetValue(message, floats[rng.NextInt(floats.Length)]); break;
            case FieldType.Double: field.Accessor.SetValue(message, (double)floats[rng.NextInt(floats.Length)]); break;
            case FieldType.UInt32 when field.IsRepeated:
                var us = (IList<uint>)value;
                if (us.Count == 0) us.Add(100_000); else for (var i = 0; i < us.Count; i++) us[i] = 100_000; // declared sizes of 10¹⁰ and more
                break;
            case FieldType.UInt32: field.Accessor.SetValue(message, new uint[] { 0u, int.MaxValue, uint.MaxValue }[rng.NextInt(3)]); break;
            case FieldType.Int32 when field.IsRepeated:
                var ints = (IList<int>)value;
                if (ints.Count == 0) ints.Add(int.MaxValue); else ints[rng.NextInt(ints.Count)] = new[] { -1, int.MaxValue, int.MinValue }[rng.NextInt(3)];
                break;
            case FieldType.Int32 when !field.IsRepeated: field.Accessor.SetValue(message, new[] { -1, int.MaxValue, int.MinValue }[rng.NextInt(3)]); break;
            case FieldType.Int64 when !field.IsRepeated: field.Accessor.SetValue(message, rng.NextInt(2) == 0 ? -1L : long.MaxValue); break;
            case FieldType.UInt64 when !field.IsRepeated: field.Accessor.SetValue(message, ulong.MaxValue); break;
            case FieldType.Enum when !field.IsRepeated: field.Accessor.SetValue(message, Enum.ToObject(field.EnumType.ClrType, 99)); break;
            case FieldType.String when !field.IsRepeated:
                var names = new List<string>();
                foreach (var node in file.Graph?.Nodes ?? []) names.Add(node.Name);
                field.Accessor.SetValue(message, rng.NextInt(2) == 0 || names.Count == 0 ? "nowhere" : names[rng.NextInt(names.Count)]); // a missing node, or a duplicate name / cycle
                break;
            case FieldType.Bool when !field.IsRepeated: field.Accessor.SetValue(message, !(bool)value); break;
            case FieldType.Message when field.IsRepeated && !field.IsMap:
                var list = (IList)value;
                if (list.Count > 0) // a duplicate node or edge
                {
                    var original = (IMessage)list[rng.NextInt(list.Count)]!;
                    list.Add(original.Descriptor.Parser.ParseFrom(original.ToByteArray()));
                }
                break;
            default:
                what += " (unchanged)";
                break;
        }
        return (ModelFileCodec.Encode(file), what);
    }

    /// <summary>A NIR file read, changed in one place, and written again as valid HDF5 in NIR's layout.</summary>
    private static (byte[] Bytes, string What) NirDamage(byte[] valid, Xoshiro256 rng, string scratch)
    {
        File.WriteAllBytes(scratch, valid);
        var graph = NirFile.Read(scratch);
        var (name, node) = graph.Nodes[rng.NextInt(graph.Nodes.Count)];
        string what;
        switch (rng.NextInt(6))
        {
            case 0 or 1 when node.Fields.Values.FirstOrDefault(f => f.Floats is { Length: > 0 }) is { } field:
                var value = new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -1f, 1e30f }[rng.NextInt(6)];
                field.Floats![rng.NextInt(field.Floats.Length)] = value;
                what = $"{name}: a value set to {value}";
                break;
            case 2 when graph.Nodes.FirstOrDefault(n => n.Node.Type == "Input").Node is { } input:
                input.Fields["shape"] = NirArray.I64(new[] { int.MaxValue, 0L, -1L }[rng.NextInt(3)]);
                what = "input shape";
                break;
            case 2:   // a simulation graph has no Input: a node wired to itself instead
                graph.Edges.Add((name, name));
                what = $"{name} -> {name} (a self-loop)";
                break;
            case 3:
                var edge = graph.Edges[rng.NextInt(graph.Edges.Count)];
                graph.Edges.Add((edge.Target, edge.Source));
                what = $"edge {edge.Target} -> {edge.Source} (a cycle)";
                break;
            case 4:
                graph.Edges.Add((name, "nowhere"));
                what = "an edge to a missing node";
                break;
            default:
                graph.Nodes[graph.Nodes.FindIndex(n => n.Name == name)] = (name, node with { Type = "Spiral" });
                what = $"{name}: an unknown node type";
                break;
        }
        NirFile.Write(graph, scratch);
        var bytes = File.ReadAllBytes(scratch);
        File.Delete(scratch);
        return (bytes, what);
    }

    /// <summary>
    /// A checkpoint (magic, body, SHA-256 of both) whose JSON has one value replaced — or, where the body goes on with
    /// tensors, one declared tensor size set to 2³¹ − 1 — written back with a valid checksum.
    /// </summary>
    private static (byte[] Bytes, string What) CheckpointDamage(byte[] valid, Xoshiro256 rng, bool lengthPrefixed)
    {
        var body = valid.AsSpan(8, valid.Length - 8 - 32).ToArray();
        var jsonStart = lengthPrefixed ? 4 : 0;
        var jsonLength = lengthPrefixed ? BitConverter.ToInt32(body, 0) : body.Length;
        byte[] damaged;
        string what;
        if (lengthPrefixed && rng.NextInt(4) == 0)
        {
            damaged = body.ToArray();
            var at = jsonStart + jsonLength + (rng.NextInt(2) == 0 ? 0 : 4);   // the tensor count, or the first tensor's length
            BitConverter.TryWriteBytes(damaged.AsSpan(at, 4), int.MaxValue);
            what = at == jsonStart + jsonLength ? "tensor count 2^31 - 1" : "tensor length 2^31 - 1";
        }
        else
        {
            var root = System.Text.Json.Nodes.JsonNode.Parse(body.AsSpan(jsonStart, jsonLength))!;
            var leaves = new List<System.Text.Json.Nodes.JsonValue>();
            void Leaves(System.Text.Json.Nodes.JsonNode? n)
            {
                switch (n)
                {
                    case System.Text.Json.Nodes.JsonObject o: foreach (var (_, child) in o) Leaves(child); break;
                    case System.Text.Json.Nodes.JsonArray a: foreach (var child in a) Leaves(child); break;
                    case System.Text.Json.Nodes.JsonValue v: leaves.Add(v); break;
                }
            }
            Leaves(root);
            var leaf = leaves[rng.NextInt(leaves.Count)];
            System.Text.Json.Nodes.JsonNode?[] replacements = [int.MaxValue, -1, 0, 1e30, "nonsense", null];
            var replacement = replacements[rng.NextInt(replacements.Length)];
            what = $"{leaf.GetPath()} = {replacement?.ToJsonString() ?? "null"}";
            leaf.ReplaceWith(replacement);
            var json = System.Text.Encoding.UTF8.GetBytes(root.ToJsonString());
            damaged = lengthPrefixed ? [.. BitConverter.GetBytes(json.Length), .. json, .. body.AsSpan(jsonStart + jsonLength)] : json;
        }
        byte[] content = [.. valid.AsSpan(0, 8), .. damaged];
        return ([.. content, .. System.Security.Cryptography.SHA256.HashData(content)], what);
    }

    private static void Collect(IMessage message, List<(IMessage, FieldDescriptor)> slots)
    {
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            if (field.IsMap) continue;
            var value = field.Accessor.GetValue(message);
            if (field.FieldType != FieldType.Message) { slots.Add((message, field)); continue; }
            if (field.IsRepeated)
            {
                slots.Add((message, field));
                foreach (var child in (IList)value) Collect((IMessage)child!, slots);
            }
            else if (value is IMessage child) Collect(child, slots);
        }
    }
}
