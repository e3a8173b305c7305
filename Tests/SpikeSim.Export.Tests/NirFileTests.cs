using SpikeSim.Simulator.Convolution;
using PureHDF;
using SpikeSim.Export.Nir;
using SpikeSim.Learning.Data;
using SpikeSim.Learning.Encoders;
using SpikeSim.Learning.Layers;
using SpikeSim.Learning.Losses;
using SpikeSim.Learning.Optimizers;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Errors;
using SpikeSim.Tests.Support;
using Xunit;

namespace SpikeSim.Tests.Export;

/// <summary>NIR files: the reference layout, round trips, files built by hand per the specification, and clear errors.</summary>
public sealed class NirFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("spikesim-nir-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (CheckpointHeader Header, SpikingNetwork Network) Trained(HostBackend backend, SnnModelSpec spec)
    {
        var options = new TrainingOptions(8, 2, 25, 3, LossKind.CeMax, EncoderKind.Current, OptimizerKind.Adam, new OptimizerSettings(4e-3f));
        var data = new TaskData(YinYang.Generate(300, 42), null, YinYang.Generate(100, 40));
        var dir = Path.Combine(_dir, Guid.NewGuid().ToString("N"));
        TrainingSession.Run(backend, TaskKind.YinYang, data, spec, options, dir, resume: false);
        var path = dir;
        var header = Checkpoint.ReadHeader(path);
        var network = header.Model.Build(backend, 0);
        Checkpoint.Restore(path, network, null);
        return (header, network);
    }

    [Fact]
    public void Written_files_follow_the_reference_layout()
    {
        using var backend = new HostBackend();
        var (header, network) = Trained(backend, new SnnModelSpec(4, [16], 3));
        using (network)
        {
            var path = Path.Combine(_dir, "layout.nir");
            NirFile.Write(TrainedNir.FromNetwork(header, network), path);
            using var file = H5File.OpenRead(path);
            Assert.Equal(NirFile.Version, file.Dataset("version").Read<string>());
            var node = file.Group("node");
            Assert.Equal("NIRGraph", node.Dataset("type").Read<string>());
            var nodes = node.Group("nodes");
            Assert.Equal(["affine_0", "affine_1", "input", "lif_0", "output", "readout"], nodes.Children().Select(c => c.Name).Order().ToArray());
            var affine = nodes.Group("affine_0");
            Assert.Equal("Affine", affine.Dataset("type").Read<string>());
            Assert.Equal([16UL, 4UL], affine.Dataset("weight").Space.Dimensions);
            Assert.Equal(H5DataTypeClass.FloatingPoint, affine.Dataset("weight").Type.Class);
            Assert.Equal(4, affine.Dataset("weight").Type.Size);
            Assert.Equal([16UL], affine.Dataset("bias").Space.Dimensions);
            var lif = nodes.Group("lif_0");
            Assert.Equal("LIF", lif.Dataset("type").Read<string>());
            foreach (var field in new[] { "tau", "r", "v_leak", "v_threshold", "v_reset" })
                Assert.Equal([16UL], lif.Dataset(field).Space.Dimensions);
            Assert.Equal(["r", "tau", "type", "v_leak"], nodes.Group("readout").Children().Select(c => c.Name).Order().ToArray());
            Assert.Equal(H5DataTypeClass.FixedPoint, nodes.Group("input").Dataset("shape").Type.Class);
            Assert.Equal([4L], nodes.Group("input").Dataset("shape").Read<long[]>());
            var edges = node.Dataset("edges");
            Assert.Equal([5UL, 2UL], edges.Space.Dimensions);
            Assert.Equal("affine_0", edges.Read<string[,]>()[0, 1]);
            // β = e^(−dt/τ) written as forward Euler: tau = dt/(1 − β), r = tau/dt.
            var beta = Math.Exp(-1.0 / 10);
            Assert.Equal(0.001 / (1 - beta), lif.Dataset("tau").Read<float[]>()[0], 6);
            Assert.Equal(1 / (1 - beta), lif.Dataset("r").Read<float[]>()[0], 3);
            Assert.Equal("0.001", node.Group("metadata").Dataset("dt").Read<string>());
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Export_then_import_gives_the_same_outputs(bool recurrent)
    {
        using var backend = new HostBackend();
        var (header, network) = Trained(backend, new SnnModelSpec(4, [16], 3, Recurrent: recurrent));
        using (network)
        {
            var path = Path.Combine(_dir, $"rt{recurrent}.nir");
            NirFile.Write(TrainedNir.FromNetwork(header, network), path);
            var (spec, imported) = TrainedNir.ToNetwork(NirFile.Read(path), backend);
            using (imported)
            {
                Assert.Equal(recurrent, spec.Recurrent);
                Assert.Equal(10.0, spec.TauMemMs, 3);
                var (a, b) = (NetworkOutputs.OnRandomBatch(network, backend, 8, 4), NetworkOutputs.OnRandomBatch(imported, backend, 8, 4));
                for (var i = 0; i < a.Length; i++) Assert.True(Math.Abs(a[i] - b[i]) <= 1e-3f * (1 + Math.Abs(a[i])), $"output {i}: {a[i]} vs {b[i]}");
            }
        }
    }

    [Theory]
    [InlineData(SpikeSim.Simulator.Convolution.PoolKind.Average)]
    [InlineData(SpikeSim.Simulator.Convolution.PoolKind.Sum)]
    public void A_trained_conv_network_exported_to_nir_and_read_back_predicts_the_same(SpikeSim.Simulator.Convolution.PoolKind pool)
    {
        using var backend = new HostBackend();
        // Yin-Yang's four values as a 1×2×2 image: Conv(3, k2, p1) 3×3×3 → pool 2 → 3×1×1 → LIF → Conv(4, k1) → LIF → flatten → LI readout.
        var conv = new ConvolutionSpec(1, 2, 2, [new ConvStage(3, 2, Padding: 1, Pool: pool, PoolSize: 2), new ConvStage(4, 1, PoolSize: 1)]);
        var (header, network) = Trained(backend, new SnnModelSpec(4, [], 3, Convolution: conv));
        using (network)
        {
            var path = Path.Combine(_dir, $"conv-{pool}.nir");
            NirFile.Write(TrainedNir.FromNetwork(header, network), path);
            var graph = NirFile.Read(path);
            Assert.Equal(["input", "conv_0", "pool_0", "lif_0", "conv_1", "lif_1", "flatten", "affine_0", "readout", "output"], graph.Nodes.Select(n => n.Name));
            Assert.Equal([3UL, 1, 2, 2], graph["conv_0"].Fields["weight"].Shape);
            Assert.Equal([3UL, 1, 1], graph["lif_0"].Fields["tau"].Shape);
            var (spec, imported) = TrainedNir.ToNetwork(graph, backend);
            using (imported)
            {
                Assert.Equal(header.Model.ToString(), spec.ToString());
                var (a, b) = (NetworkOutputs.OnRandomBatch(network, backend, 8, 16), NetworkOutputs.OnRandomBatch(imported, backend, 8, 16));
                for (var i = 0; i < a.Length; i++) Assert.True(Math.Abs(a[i] - b[i]) <= 1e-5f * (1 + Math.Abs(a[i])), $"output {i}: {a[i]} vs {b[i]}");
                Assert.Equal(Predictions(a, 8, 16, 3), Predictions(b, 8, 16, 3));
            }
        }
    }

    [Fact]
    public void A_conv_network_with_max_pooling_is_refused_naming_the_node()
    {
        using var backend = new HostBackend();
        var conv = new ConvolutionSpec(1, 2, 2, [new ConvStage(2, 2, Padding: 1)]);
        var (header, network) = Trained(backend, new SnnModelSpec(4, [], 3, Convolution: conv));
        using (network)
        {
            var error = Assert.Throws<SpikeSimException>(() => TrainedNir.FromNetwork(header, network)).Message;
            Assert.Contains("'pool_0'", error);
            Assert.Contains("NIR 1.0 has only AvgPool2d and SumPool2d", error);
        }
    }

    /// <summary>The class of each sample: its readout's largest membrane over all steps (ce-max).</summary>
    private static int[] Predictions(float[] output, int steps, int batch, int classes)
        => Enumerable.Range(0, batch).Select(b => Enumerable.Range(0, classes)
            .Select(k => (k, Enumerable.Range(0, steps).Max(t => output[(t * batch + b) * classes + k]))).MaxBy(x => x.Item2).k).ToArray();

    [Fact]
    public void A_file_built_by_hand_per_the_specification_imports()
    {
        var path = Path.Combine(_dir, "hand.nir");
        Write(path, new H5Group
        {
            ["in"] = Node("Input", ("shape", new long[] { 3 })),
            ["lin"] = Node("Linear", ("weight", new float[,] { { 0.5f, 0.2f, 0.1f }, { 0.3f, 0.3f, 0.3f } })),
            ["lif"] = Node("LIF", ("tau", new[] { 0.002f, 0.002f }), ("r", new[] { 20f, 20f }), ("v_leak", new[] { 0f, 0f }), ("v_threshold", new[] { 1f, 1f })),
            ["aff"] = Node("Affine", ("weight", new float[,] { { 1f, -1f } }), ("bias", new[] { 0.1f })),
            ["li"] = Node("LI", ("tau", new[] { 0.004f }), ("r", new[] { 40f }), ("v_leak", new[] { 0f })),
            ["out"] = Node("Output", ("shape", new long[] { 1 })),
        }, [["in", "lin"], ["lin", "lif"], ["lif", "aff"], ["aff", "li"], ["li", "out"]]);
        using var backend = new HostBackend();
        var (spec, network) = TrainedNir.ToNetwork(NirFile.Read(path), backend);
        using (network)
        {
            Assert.Equal("3-2-1 LIF, LI readout", spec.ToString());
            // r = τ/dt ⇒ β = 1 − 1/r: 0.95 for the LIF, 0.975 for the LI; SpikeSim's τ gives back that β.
            Assert.Equal(0.95, Math.Exp(-1 / spec.TauMemMs), 6);
            Assert.Equal(0.975, Math.Exp(-1 / spec.TauReadoutMs), 6);
            Assert.Equal([0.5f, 0.2f, 0.1f, 0.3f, 0.3f, 0.3f], network.Layers[0].Parameters[0].Value.ToArray());
            Assert.Equal([0f, 0f], network.Layers[0].Parameters[1].Value.ToArray());
            Assert.Equal([0.1f], network.Layers[1].Parameters[1].Value.ToArray());
        }
    }

    [Theory]
    [InlineData("unknown", "type 'Conv3d'")]
    [InlineData("missing-field", "lacks its 'v_threshold' field")]
    [InlineData("bad-edge", "names a node that does not exist")]
    [InlineData("nan", "'lin' field 'weight' holds NaN")]
    [InlineData("version", "NIR 2.0")]
    [InlineData("shape", "must hold a float [2, 3] weight")]
    public void Bad_files_give_one_clear_error_naming_the_node(string damage, string message)
    {
        var path = Path.Combine(_dir, damage + ".nir");
        var weight = damage == "shape" ? new float[,] { { 1f, 2f } , { 3f, 4f } } : new float[,] { { damage == "nan" ? float.NaN : 0.5f, 0.2f, 0.1f }, { 0.3f, 0.3f, 0.3f } };
        var lif = damage == "missing-field"
            ? Node("LIF", ("tau", new[] { 0.002f, 0.002f }), ("r", new[] { 20f, 20f }), ("v_leak", new[] { 0f, 0f }))
            : Node(damage == "unknown" ? "Conv3d" : "LIF", ("tau", new[] { 0.002f, 0.002f }), ("r", new[] { 20f, 20f }), ("v_leak", new[] { 0f, 0f }), ("v_threshold", new[] { 1f, 1f }));
        Write(path, new H5Group
        {
            ["in"] = Node("Input", ("shape", new long[] { 3 })),
            ["lin"] = Node("Linear", ("weight", weight)),
            ["lif"] = lif,
            ["aff"] = Node("Affine", ("weight", new float[,] { { 1f, -1f } }), ("bias", new[] { 0.1f })),
            ["li"] = Node("LI", ("tau", new[] { 0.004f }), ("r", new[] { 40f }), ("v_leak", new[] { 0f })),
            ["out"] = Node("Output", ("shape", new long[] { 1 })),
        }, [["in", "lin"], ["lin", damage == "bad-edge" ? "nowhere" : "lif"], ["lif", "aff"], ["aff", "li"], ["li", "out"]], damage == "version" ? "2.0.0" : "1.0.4");
        using var backend = new HostBackend();
        var error = Assert.Throws<SpikeSimException>(() => TrainedNir.ToNetwork(NirFile.Read(path), backend).Network.Dispose());
        Assert.Contains(message, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData(10_000_000_000L, "more than one array holds")]
    [InlineData(100_000_000L, "bytes in a file of")]
    public void A_declared_size_the_file_cannot_hold_is_refused_before_anything_is_allocated(long declared, string message)
    {
        // Structure-aware damage: the dataspace of a 12345-value field rewritten to declare far more values.
        var path = Path.Combine(_dir, "huge.nir");
        Write(path, new H5Group
        {
            ["in"] = Node("Input", ("shape", new long[] { 3 })),
            ["li"] = Node("LI", ("tau", new float[12345]), ("r", new[] { 40f }), ("v_leak", new[] { 0f })),
            ["out"] = Node("Output", ("shape", new long[] { 1 })),
        }, [["in", "li"], ["li", "out"]]);
        var bytes = File.ReadAllBytes(path);
        var (from, to) = (BitConverter.GetBytes(12345UL), BitConverter.GetBytes((ulong)declared));
        var replaced = 0;
        for (var i = 0; i + 8 <= bytes.Length; i++)
            if (bytes.AsSpan(i, 8).SequenceEqual(from)) { to.CopyTo(bytes, i); replaced++; }
        Assert.True(replaced >= 1, "the dataspace's dimension was not found in the file");
        File.WriteAllBytes(path, bytes);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<SpikeSimException>(() => NirFile.Read(path));
        Assert.Contains("'li' field 'tau'", error.Message);
        Assert.Contains(message, error.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64L << 20, "the reader allocated what the damaged header declared");
    }

    [Fact]
    public void Alif_networks_are_refused_for_nir_naming_the_node()
    {
        using var backend = new HostBackend();
        var (header, network) = Trained(backend, new SnnModelSpec(4, [8], 3, Cell: HiddenCell.Alif));
        using (network)
            Assert.Contains("'alif_0'", Assert.Throws<SpikeSimException>(() => TrainedNir.FromNetwork(header, network)).Message);
    }

    private static H5Group Node(string type, params (string Name, object Value)[] fields)
    {
        var group = new H5Group { ["type"] = type };
        foreach (var (name, value) in fields) group[name] = value;
        return group;
    }

    private static void Write(string path, H5Group nodes, string[][] edges, string version = "1.0.4")
    {
        var e = new string[edges.Length, 2];
        for (var i = 0; i < edges.Length; i++) (e[i, 0], e[i, 1]) = (edges[i][0], edges[i][1]);
        new H5File { ["version"] = version, ["node"] = new H5Group { ["type"] = "NIRGraph", ["nodes"] = nodes, ["edges"] = e } }.Write(path);
    }
}
