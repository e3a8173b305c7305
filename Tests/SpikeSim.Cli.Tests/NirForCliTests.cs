using System.Text.Json;
using SpikeSim.Tests.Support;
using Xunit;

namespace SpikeSim.Tests.Cli;

/// <summary><c>spikesim export --model FILE --format nir --nir-for snntorch|norse|generic</c> and <c>train --reset</c>.</summary>
public sealed class NirForCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("spikesim-nir-for-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name) => Path.Combine(_dir, name);

    [Fact]
    public void A_classifier_written_for_each_consumer_runs_back_in_spikesim_with_its_trained_accuracy()
    {
        var (checkpoint, trained) = (File("c.ckpt"), File("j.json"));
        Assert.Equal(0, CliProcess.Run("train", "--task", "yinyang", "--hidden", "24", "--epochs", "3", "--reset", "to-zero", "--loss", "ce-count",
            "--checkpoint", checkpoint, "--json", trained).ExitCode);
        using var j = JsonDocument.Parse(System.IO.File.ReadAllText(trained));
        var model = File("m.spikesim");
        Assert.Equal(0, CliProcess.Run("export", "--model", checkpoint, "-o", model).ExitCode);
        foreach (var consumer in new[] { "snntorch", "norse", "generic" })
        foreach (var source in new[] { checkpoint, model })
        {
            var (nir, run) = (File($"{consumer}.nir"), File($"{consumer}.json"));
            var export = CliProcess.Run("export", "--model", source, "--format", "nir", "--nir-for", consumer, "-o", nir, "--force");
            Assert.True(export.ExitCode == 0, export.Stderr);
            Assert.Contains($"as NIR for {consumer}", export.Stdout);
            Assert.Equal(0, CliProcess.Run("run", nir, "--data", "yinyang", "--json", run, "--force").ExitCode);
            using var r = JsonDocument.Parse(System.IO.File.ReadAllText(run));
            Assert.Equal(j.RootElement.GetProperty("test_accuracy").GetDouble(), r.RootElement.GetProperty("accuracy").GetDouble());
        }
    }

    [Fact]
    public void A_norse_file_without_metadata_runs_with_nir_from_norse_and_the_task_defaults()
    {
        var (checkpoint, trained) = (File("n.ckpt"), File("n.json"));
        Assert.Equal(0, CliProcess.Run("train", "--task", "yinyang", "--hidden", "24", "--epochs", "3", "--reset", "to-zero", "--loss", "ce-count",
            "--checkpoint", checkpoint, "--json", trained).ExitCode);
        var nir = File("norse.nir");
        Assert.Equal(0, CliProcess.Run("export", "--model", checkpoint, "--format", "nir", "--nir-for", "norse", "-o", nir).ExitCode);
        // As Norse's own to_nir writes it: no dt, no reset, no record of how it was run.
        var graph = SpikeSim.Export.Nir.NirFile.Read(nir);
        graph.Metadata.Clear();
        var foreign = File("foreign.nir");
        SpikeSim.Export.Nir.NirFile.Write(graph, foreign);
        CliProcess.AssertOneError(CliProcess.Run("run", foreign, "--data", "yinyang"), "--nir-from");
        var run = File("foreign.json");
        Assert.Equal(0, CliProcess.Run("run", foreign, "--data", "yinyang", "--nir-from", "norse", "--json", run).ExitCode);
        using var j = JsonDocument.Parse(System.IO.File.ReadAllText(trained));
        using var r = JsonDocument.Parse(System.IO.File.ReadAllText(run));
        Assert.Equal(j.RootElement.GetProperty("test_accuracy").GetDouble(), r.RootElement.GetProperty("accuracy").GetDouble());
        Assert.Contains("read as norse reads it", CliProcess.Run("inspect", foreign, "--nir-from", "norse").Stdout);
        CliProcess.AssertOneError(CliProcess.Run("run", checkpoint, "--steps", "5"), "give --data");
        CliProcess.AssertOneError(CliProcess.Run("run", File("m-none.spikesim"), "--nir-from", "norse"), "No file");
    }

    [Fact]
    public void A_cuba_lif_classifier_as_norse_writes_it_runs_and_inspects()
    {
        static SpikeSim.Export.Nir.NirArray Fill(int n, float v) => SpikeSim.Export.Nir.NirArray.F32(Enumerable.Repeat(v, n).ToArray());
        static SpikeSim.Export.Nir.NirArray Weights(int rows, int columns) => SpikeSim.Export.Nir.NirArray.F32(
            [.. Enumerable.Range(0, rows * columns).Select(k => (k % 7 - 3) / 4f)], rows, columns);
        var graph = new SpikeSim.Export.Nir.NirGraph();
        graph.Nodes.Add(("input", SpikeSim.Export.Nir.NirNode.Of("Input", ("shape", SpikeSim.Export.Nir.NirArray.I64(4)))));
        graph.Nodes.Add(("0", SpikeSim.Export.Nir.NirNode.Of("Affine", ("weight", Weights(16, 4)), ("bias", Fill(16, 0.1f)))));
        graph.Nodes.Add(("1", SpikeSim.Export.Nir.NirNode.Of("CubaLIF", ("tau_syn", Fill(16, 0.005f)), ("tau_mem", Fill(16, 0.01f)), ("r", Fill(16, 1)),
            ("w_in", Fill(16, 1)), ("v_leak", Fill(16, 0)), ("v_threshold", Fill(16, 0.1f)), ("v_reset", Fill(16, 0)))));
        graph.Nodes.Add(("2", SpikeSim.Export.Nir.NirNode.Of("Affine", ("weight", Weights(3, 16)), ("bias", Fill(3, 0)))));
        graph.Nodes.Add(("3", SpikeSim.Export.Nir.NirNode.Of("LI", ("tau", Fill(3, 0.02f)), ("r", Fill(3, 1)), ("v_leak", Fill(3, 0)))));
        graph.Nodes.Add(("output", SpikeSim.Export.Nir.NirNode.Of("Output", ("shape", SpikeSim.Export.Nir.NirArray.I64(3)))));
        foreach (var (a, b) in new[] { ("input", "0"), ("0", "1"), ("1", "2"), ("2", "3"), ("3", "output") }) graph.Edges.Add((a, b));
        var nir = File("cuba.nir");
        SpikeSim.Export.Nir.NirFile.Write(graph, nir);
        Assert.Contains("imports as the classifier 4-16-3 CubaLIF, LI readout, read as norse reads it", CliProcess.Run("inspect", nir, "--nir-from", "norse").Stdout);
        var json = File("cuba.json");
        var run = CliProcess.Run("run", nir, "--data", "yinyang", "--nir-from", "norse", "--steps", "20", "--json", json);
        Assert.True(run.ExitCode == 0, run.Stderr);
        using var r = JsonDocument.Parse(System.IO.File.ReadAllText(json));
        Assert.InRange(r.RootElement.GetProperty("accuracy").GetDouble(), 0, 1);
        Assert.Equal(1000, r.RootElement.GetProperty("samples").GetInt32());
        // Norse writes no run settings: a model file cannot record how to run it (spikesim run evaluates it as it is).
        CliProcess.AssertOneError(CliProcess.Run("export", "--model", nir, "-o", File("x.spikesim")), "does not state its 'task'");
    }

    [Fact]
    public void What_a_consumer_cannot_hold_is_one_line_naming_the_node_and_writes_nothing()
    {
        var checkpoint = File("subtract.ckpt");
        Assert.Equal(0, CliProcess.Run("train", "--task", "yinyang", "--hidden", "8", "--steps", "5", "--epochs", "1", "--checkpoint", checkpoint).ExitCode);
        var nir = File("x.nir");
        CliProcess.AssertOneError(CliProcess.Run("export", "--model", checkpoint, "--format", "nir", "--nir-for", "snntorch", "-o", nir), "node 'readout' (LI)");
        CliProcess.AssertOneError(CliProcess.Run("export", "--model", checkpoint, "--format", "nir", "--nir-for", "norse", "-o", nir), "node 'lif_0' resets by subtraction");
        CliProcess.AssertOneError(CliProcess.Run("export", "--model", checkpoint, "--nir-for", "norse", "-o", nir), "--nir-for does not apply");
        CliProcess.AssertOneError(CliProcess.Run("export", "--model", checkpoint, "--format", "nir", "--nir-for", "lava", "-o", nir), "Unknown --nir-for 'lava'");
        CliProcess.AssertOneError(CliProcess.Run("export", "--network", "cuba", "--format", "nir", "--nir-for", "snntorch", "-o", nir), "writes trained classifiers");
        CliProcess.AssertOneError(CliProcess.Run("train", "--task", "yinyang", "--model", "ann", "--reset", "to-zero"), "--reset does not apply");
        Assert.False(System.IO.File.Exists(nir));
    }
}
