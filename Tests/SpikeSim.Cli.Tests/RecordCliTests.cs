using System.Text.RegularExpressions;
using PureHDF;
using SpikeSim.Tests.Support;
using Xunit;

namespace SpikeSim.Tests.Cli;

/// <summary><c>--record … -o FILE.h5</c> on the commands that run networks, and <c>spikesim run</c>.</summary>
public sealed partial class RecordCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("spikesim-record-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (string Path, long Printed) RecordCuba(string engine)
    {
        var path = Path.Combine(_dir, $"cuba-{engine}.h5");
        var result = CliProcess.Run("simulate", "cuba", "--n", "500", "--duration-ms", "300", "--engine", engine, "--record", "spikes", "v:cuba:0-3", "rate", "-o", path);
        Assert.Equal(0, result.ExitCode);
        return (path, long.Parse(SpikeCount().Match(result.Stdout).Groups[1].Value));
    }

    [Fact]
    public void Simulate_cuba_records_as_many_spikes_as_it_prints_with_state_and_rates()
    {
        foreach (var engine in new[] { "step", "event" })
        {
            var (path, printed) = RecordCuba(engine);
            using var file = H5File.OpenRead(path);
            Assert.Equal(engine, file.Attribute("engine").Read<string>());
            Assert.Equal(300.0, file.Attribute("duration_ms").Read<double>());
            var neurons = file.Dataset("cuba/spikes/neuron").Read<int[]>();
            var times = file.Dataset("cuba/spikes/time_ms").Read<double[]>();
            Assert.Equal(printed, neurons.Length);
            Assert.True(printed > 100, $"{printed} spikes");
            Assert.All(times, t => Assert.InRange(t, 0, 300));
            Assert.All(neurons, n => Assert.InRange(n, 0, 499));
            Assert.Equal([3000UL, 4UL], file.Dataset("cuba/v/values").Space.Dimensions);
            var rate = file.Dataset("cuba/rate/values").Read<float[]>();
            Assert.Equal(300, rate.Length);
            Assert.Equal(printed / (500 * 0.3), rate.Average(), 1e-3);
        }
    }

    [H5pyFact]
    public void H5py_reads_back_exactly_the_spikes_the_command_printed()
    {
        var (path, printed) = RecordCuba("step");
        var output = H5pyFactAttribute.Run($"import h5py\nf = h5py.File('{path}', 'r')\nprint(len(f['cuba/spikes/time_ms'][:]), f.attrs['engine'], f['cuba/v/values'].shape)");
        Assert.Equal($"{printed} step (3000, 4)", output.Trim());
    }

    [Fact]
    public void Run_plays_a_model_file_and_records_it_and_refuses_what_the_engines_cannot_run()
    {
        var model = Path.Combine(_dir, "cuba.spikesim");
        Assert.Equal(0, CliProcess.Run("export", "--network", "cuba", "--n", "200", "-o", model).ExitCode);
        var h5 = Path.Combine(_dir, "run.h5");
        var run = CliProcess.Run("run", model, "--duration-ms", "100", "--record", "spikes", "-o", h5);
        Assert.Equal(0, run.ExitCode);
        using (var file = H5File.OpenRead(h5)) Assert.Equal(long.Parse(SpikeCount().Match(run.Stdout).Groups[1].Value), file.Dataset("cuba/spikes/neuron").Read<int[]>().Length);
        CliProcess.AssertOneError(CliProcess.Run("run", model, "--data", "yinyang"), "holds a simulation network");
        var checkpoint = Path.Combine(_dir, "yy.ckpt");
        Assert.Equal(0, CliProcess.Run("train", "--task", "yinyang", "--hidden", "8", "--steps", "5", "--epochs", "1", "--checkpoint", checkpoint).ExitCode);
        CliProcess.AssertOneError(CliProcess.Run("run", checkpoint), "give --data TASK");
        CliProcess.AssertOneError(CliProcess.Run("run", checkpoint, "--data", "mnist"), "trained on yinyang");
        CliProcess.AssertOneError(CliProcess.Run("run", checkpoint, "--data", "yinyang", "--engine", "event"), "use --engine step");
        CliProcess.AssertOneError(CliProcess.Run("run", _dir), "is a folder");
        Assert.Empty(Directory.GetFiles(_dir, "*.json"));
    }

    [Fact]
    public void Run_plays_a_network_that_learns_by_the_decomposed_rule_in_the_step_engine_and_the_event_engine_refuses_it_by_name()
    {
        var network = new SpikeSim.Simulator.Networks.Network();
        var pre = network.AddPopulation("pre", 3, new SpikeSim.Simulator.Neurons.PoissonSource(100));
        var post = network.AddPopulation("post", 2, new SpikeSim.Simulator.Neurons.Lif(TauMs: 10, VThreshold: 1));
        float[] Post(float v) => [v, -v];
        float[] Pre(float v) => [v, 0.5f * v, -v];
        var rule = new SpikeSim.Simulator.Plasticity.DecomposedStdp(
            new SpikeSim.Simulator.Plasticity.DecomposedRuleValues(Post(1), Pre(1), Post(0.5f), Pre(0.5f), Post(0.2f), Pre(0.2f), Post(0.1f), Pre(0.1f), Post(1), 0),
            UpdateIntervalMs: 1, TauCMs: 20, LearningRate: 0.1, WMin: -1, WMax: 2, PreTauMs: 10, PostTauMs: 10);
        network.Connect(pre, post, new SpikeSim.Simulator.Synapses.SparseConnectivity(3, 2, [0, 2, 4, 6], [0, 1, 0, 1, 0, 1], [.. Enumerable.Repeat(0.6f, 6)]),
            delayMs: 1, plasticity: rule);
        var model = Path.Combine(_dir, "decomposed.spikesim");
        SpikeSim.Export.NetworkExporter.Write(SpikeSim.Export.NetworkExporter.ToModelFile(network, 0.1), model);
        var h5 = Path.Combine(_dir, "decomposed.h5");
        var run = CliProcess.Run("run", model, "--duration-ms", "200", "--record", "spikes", "-o", h5);
        Assert.True(run.ExitCode == 0, run.Stderr);
        using (var file = H5File.OpenRead(h5)) Assert.NotEmpty(file.Dataset("pre/spikes/neuron").Read<int[]>());
        CliProcess.AssertOneError(CliProcess.Run("run", model, "--engine", "event", "--duration-ms", "10"), "cannot run the learning rule DecomposedStdp");
    }

    [Fact]
    public void Run_plays_a_nir_file_and_records_it()
    {
        var network = new SpikeSim.Simulator.Networks.Network();
        // NIR has no sources: a resting potential above threshold (v_leak 1.5, θ 1) makes "a" fire on its own.
        var a = network.AddPopulation("a", 30, new SpikeSim.Simulator.Neurons.Lif(TauMs: 10, VLeak: 1.5, VThreshold: 1));
        var b = network.AddPopulation("b", 10, new SpikeSim.Simulator.Neurons.Lif(TauMs: 10, VThreshold: 1));
        network.Connect(a, b, new SpikeSim.Simulator.Synapses.DenseConnectivity(30, 10, Enumerable.Range(0, 300).Select(k => (k % 4) / 20f).ToArray()), delayMs: 1);
        var nir = Path.Combine(_dir, "net.nir");
        SpikeSim.Export.Nir.NirFile.Write(SpikeSim.Export.Nir.SimulationNir.FromNetwork(network, 0.1).Graph, nir);
        var h5 = Path.Combine(_dir, "nir.h5");
        var run = CliProcess.Run("run", nir, "--duration-ms", "50", "--record", "spikes", "v:b:0-2", "-o", h5);
        Assert.True(run.ExitCode == 0, run.Stderr);
        using var file = H5File.OpenRead(h5);
        var printed = long.Parse(SpikeCount().Match(run.Stdout).Groups[1].Value);
        Assert.True(printed > 30, $"{printed} spikes");
        Assert.Equal(printed, file.Dataset("a/spikes/neuron").Read<int[]>().Length + file.Dataset("b/spikes/neuron").Read<int[]>().Length);
        Assert.Equal([500UL, 3UL], file.Dataset("b/v/values").Space.Dimensions);
    }

    [Fact]
    public void A_trained_classifier_scores_in_the_simulator_exactly_what_training_reported()
    {
        var (checkpoint, trained, run) = (Path.Combine(_dir, "c.ckpt"), Path.Combine(_dir, "j.json"), Path.Combine(_dir, "r.json"));
        Assert.Equal(0, CliProcess.Run("train", "--task", "yinyang", "--seed", "1", "--checkpoint", checkpoint, "--json", trained).ExitCode);
        Assert.Equal(0, CliProcess.Run("run", checkpoint, "--data", "yinyang", "--json", run).ExitCode);
        using var j = System.Text.Json.JsonDocument.Parse(File.ReadAllText(trained));
        using var r = System.Text.Json.JsonDocument.Parse(File.ReadAllText(run));
        Assert.Equal(j.RootElement.GetProperty("test_accuracy").GetDouble(), r.RootElement.GetProperty("accuracy").GetDouble());
        Assert.Equal(1000, r.RootElement.GetProperty("samples").GetInt32());
        Assert.Equal("step", r.RootElement.GetProperty("engine").GetString());
        var model = Path.Combine(_dir, "m.spikesim");
        Assert.Equal(0, CliProcess.Run("export", "--model", checkpoint, "-o", model).ExitCode);
        var fromFile = CliProcess.Run("run", model, "--data", "yinyang");
        Assert.Contains($"test accuracy {100 * j.RootElement.GetProperty("test_accuracy").GetDouble():0.00} %", fromFile.Stdout);
    }

    [Fact]
    public void A_trained_convolutional_classifier_scores_in_the_simulator_exactly_what_training_reported()
    {
        var (checkpoint, trained, run) = (Path.Combine(_dir, "c.ckpt"), Path.Combine(_dir, "j.json"), Path.Combine(_dir, "r.json"));
        // Sum pooling, so that NIR (which has no max pooling) holds it too.
        Assert.Equal(0, CliProcess.Run("train", "--task", "mnist", "--arch", "conv", "--pool", "sum", "--epochs", "1", "--steps", "3", "--seed", "2",
            "--checkpoint", checkpoint, "--json", trained).ExitCode);
        var result = CliProcess.Run("run", checkpoint, "--data", "mnist", "--json", run);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("12C5-SP2-64C5-SP2", result.Stdout);
        using var j = System.Text.Json.JsonDocument.Parse(File.ReadAllText(trained));
        using var r = System.Text.Json.JsonDocument.Parse(File.ReadAllText(run));
        Assert.InRange(j.RootElement.GetProperty("test_accuracy").GetDouble(), 0.5, 1.0);
        Assert.Equal(j.RootElement.GetProperty("test_accuracy").GetDouble(), r.RootElement.GetProperty("accuracy").GetDouble());
        CliProcess.AssertOneError(CliProcess.Run("run", checkpoint, "--data", "mnist", "--engine", "event"), "use --engine step");
        var nir = Path.Combine(_dir, "c.nir");
        Assert.Equal(0, CliProcess.Run("export", "--model", checkpoint, "--format", "nir", "-o", nir).ExitCode);
        var model = Path.Combine(_dir, "c.spikesim");
        Assert.Equal(0, CliProcess.Run("export", "--model", checkpoint, "-o", model).ExitCode);
        // The NIR file converted back into a model file (its metadata says how it is run) scores the same.
        var fromNir = Path.Combine(_dir, "from-nir.spikesim");
        Assert.Equal(0, CliProcess.Run("export", "--model", nir, "-o", fromNir).ExitCode);
        Assert.Contains("imported (from NIR)", CliProcess.Run("inspect", fromNir).Stdout);
        foreach (var file in new[] { nir, model, fromNir })
            Assert.Contains($"test accuracy {100 * j.RootElement.GetProperty("test_accuracy").GetDouble():0.00} %", CliProcess.Run("run", file, "--data", "mnist").Stdout);
        var bare = Path.Combine(_dir, "bare.nir");
        var graph = SpikeSim.Export.Nir.NirFile.Read(nir);
        graph.Metadata.Remove("task");
        SpikeSim.Export.Nir.NirFile.Write(graph, bare);
        CliProcess.AssertOneError(CliProcess.Run("export", "--model", bare, "-o", Path.Combine(_dir, "bare.spikesim")), "does not state its 'task'");

        // One test sample's run recorded as data, from the checkpoint and from its NIR file: the same spikes and readout,
        // and the readout's recorded potential gives the class the command prints (ce-max: the largest potential over time).
        var recorded = new List<(int[] Neurons, double[] Times, float[,] Readout)>();
        foreach (var file in new[] { checkpoint, nir })
        {
            var h5 = Path.Combine(_dir, Path.GetFileName(file) + ".h5");
            var recording = CliProcess.Run("run", file, "--data", "mnist", "--record", "spikes:hidden_1", "v:output:0-9", "-o", h5, "--sample", "7");
            Assert.Equal(0, recording.ExitCode);
            var printed = Regex.Match(recording.Stdout, @"test sample 7 \(label (\d)\): predicted (\d) after 3 steps");
            Assert.True(printed.Success, recording.Stdout);
            using var data = H5File.OpenRead(h5);
            var readout = data.Dataset("output/v/values").Read<float[,]>();
            Assert.Equal(3, readout.GetLength(0));
            var best = Enumerable.Range(0, 10).MaxBy(c => Enumerable.Range(0, 3).Max(t => readout[t, c]));
            Assert.Equal(int.Parse(printed.Groups[2].Value), best);
            var neurons = data.Dataset("hidden_1/spikes/neuron").Read<int[]>();
            var times = data.Dataset("hidden_1/spikes/time_ms").Read<double[]>();
            Assert.NotEmpty(neurons);
            Assert.All(times, t => Assert.InRange(t, 0, 3));
            recorded.Add((neurons, times, readout));
        }
        Assert.Equal(recorded[0].Neurons, recorded[1].Neurons);
        Assert.Equal(recorded[0].Times, recorded[1].Times);
        // The NIR file holds the weights scaled into its convention and back (r = τ/dt): the potentials agree to rounding.
        foreach (var (a, b) in recorded[0].Readout.Cast<float>().Zip(recorded[1].Readout.Cast<float>())) Assert.Equal(a, b, 1e-5f);
        CliProcess.AssertOneError(CliProcess.Run("run", nir, "--data", "mnist", "--sample", "2"), "--sample picks the test sample");
        CliProcess.AssertOneError(CliProcess.Run("run", nir, "--data", "mnist", "--record", "spikes", "-o", Path.Combine(_dir, "x.h5"), "--sample", "2000"), "samples 0 to 1999");
    }

    [Theory]
    [InlineData("--record spikes", "--record needs -o FILE.h5")]
    [InlineData("-o OUT", "name them with --record")]
    [InlineData("--record spikes:inh -o OUT", "no population 'inh'")]
    [InlineData("--record w:cuba -o OUT", "no state variable 'w'")]
    [InlineData("--record v:cuba:0-9999 -o OUT", "has no neuron 500")]
    [InlineData("--record v:cuba:2-1 -o OUT", "not a list of neurons")]
    [InlineData("--record v:cuba@0 -o OUT", "not a positive time")]
    [InlineData("--record spikes:cuba:x -o OUT", "expected spikes[:POP]")]
    [InlineData("--record v:cuba@0.25 -o OUT", "not a multiple of dt")]
    [InlineData("--record spikes -o DIR", "is a folder")]
    [InlineData("--record spikes -o /proc/x.h5", "cannot be written")]
    public void A_bad_record_request_is_refused_before_any_work_and_writes_nothing(string arguments, string message)
    {
        var args = arguments.Replace("OUT", Path.Combine(_dir, "out.h5")).Replace("DIR", _dir).Replace("MISSING", Path.Combine(_dir, "missing")).Split(' ');
        CliProcess.AssertOneError(CliProcess.Run(["simulate", "cuba", "--n", "500", "--duration-ms", "10", .. args]), message);
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [GeneratedRegex(@"(\d+) spikes")]
    private static partial Regex SpikeCount();
}
