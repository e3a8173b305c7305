using SpikeSim.Experiments.Maze;
using System.Text.Json;
using SpikeSim.Tests.Support;
using Xunit;

namespace SpikeSim.Tests.Cli;

/// <summary><c>spikesim train</c>: its JSON, checkpoint and resume, and one clear error for bad input, with nothing overwritten.</summary>
public sealed class TrainCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("spikesim-train-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly string[] Quick = ["train", "--task", "yinyang", "--hidden", "16", "--steps", "5", "--batch", "100", "--device", "cpu"];

    [Theory]
    [InlineData("--steps 0", "--steps 0: must be a whole number from 1")]
    [InlineData("--batch 6000", "larger than the training set (5000 samples)")]
    [InlineData("--task cifar", "Unknown --task 'cifar'; choose yinyang, mnist or randman")]
    [InlineData("--surrogate boxcar", "Unknown --surrogate 'boxcar'; choose fast-sigmoid, arctan, triangle or sigmoid")]
    [InlineData("--loss hinge", "Unknown --loss 'hinge'; choose ce-max, ce-last, ce-count or mse-rate")]
    [InlineData("--encoder rate", "Unknown --encoder 'rate'; choose current, poisson, latency or spike-times")]
    [InlineData("--optimizer rmsprop", "Unknown --optimizer 'rmsprop'; choose adam or sgd")]
    [InlineData("--cell izhikevich", "Unknown --cell 'izhikevich'; choose lif or alif")]
    [InlineData("--schedule step", "Unknown --schedule 'step'; choose constant or cosine")]
    [InlineData("--encoder spike-times", "needs spike-time data")]
    [InlineData("--model gpt", "Unknown --model 'gpt'; choose snn or ann")]
    [InlineData("--resume", "--resume needs --checkpoint")]
    [InlineData("--arch conv", "--arch conv needs images; yinyang has 4 flat features")]
    [InlineData("--pool sum", "--pool does not apply: only --arch conv has pooling layers")]
    public void Bad_input_ends_with_one_clear_line_and_leaves_files_alone(string arguments, string message)
    {
        var json = Path.Combine(_dir, "keep.json");
        File.WriteAllText(json, "previous");
        var extra = arguments.Split(' ');
        // --force lets the run replace the json; the bad input must be refused before it is touched all the same.
        var result = CliProcess.Run([.. Without(Quick, extra[0]), "--epochs", "1", "--json", json, "--force", .. extra]);
        CliProcess.AssertOneError(result, message);
        Assert.Equal("previous", File.ReadAllText(json));
    }

    [Fact]
    public void A_missing_idx_folder_is_a_clear_error()
        => CliProcess.AssertOneError(CliProcess.Run("train", "--task", "mnist", "--data", Path.Combine(_dir, "nowhere")), "does not exist");

    [Fact]
    public void Train_writes_json_csv_plot_and_a_checkpoint_that_resumes_and_refuses_damage()
    {
        var checkpoint = Path.Combine(_dir, "ckpt");
        var json = Path.Combine(_dir, "run.json");
        var first = CliProcess.Run([.. Quick, "--epochs", "1", "--checkpoint", checkpoint]);
        Assert.Equal(0, first.ExitCode);
        // A finished run extends to a larger --epochs; any other option must be the run's own.
        var extended = CliProcess.Run([.. Quick, "--epochs", "2", "--checkpoint", checkpoint, "--resume"]);
        Assert.Equal(0, extended.ExitCode);
        Assert.Contains("resumed after epoch 1", extended.Stdout);
        CliProcess.AssertOneError(CliProcess.Run([.. Quick, "--epochs", "3", "--seed", "9", "--checkpoint", checkpoint, "--resume"]), "different run");
        CliProcess.AssertOneError(CliProcess.Run([.. Quick, "--epochs", "1", "--checkpoint", checkpoint, "--resume"]), "pass --epochs 2 or more");

        var both = Path.Combine(_dir, "both");
        Assert.Equal(0, CliProcess.Run([.. Quick, "--epochs", "2", "--checkpoint", both, "--json", json,
            "--csv", Path.Combine(_dir, "run.csv"), "--plot", Path.Combine(_dir, "run.png")]).ExitCode);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        foreach (var key in new[] { "task", "model", "epochs", "test_accuracy", "train_accuracy", "seconds" })
            Assert.True(root.TryGetProperty(key, out _), $"missing {key}");
        Assert.Equal("yinyang", root.GetProperty("task").GetString());
        Assert.Equal(2, root.GetProperty("per_epoch").GetProperty("test_accuracy").GetArrayLength());
        Assert.Equal(3, File.ReadAllLines(Path.Combine(_dir, "run.csv")).Length);
        Assert.True(new FileInfo(Path.Combine(_dir, "run.png")).Length > 1000);

        var path = both;
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 1;
        File.WriteAllBytes(path, bytes);
        CliProcess.AssertOneError(CliProcess.Run([.. Quick, "--epochs", "2", "--checkpoint", both, "--resume"]), "damaged");
        Assert.Equal(bytes, File.ReadAllBytes(path));
    }

    /// <summary>The arguments without <paramref name="flag"/> and its value, so a test can set it anew.</summary>
    private static string[] Without(string[] args, string flag)
    {
        var i = Array.IndexOf(args, flag);
        return i < 0 ? args : [.. args[..i], .. args[(i + 2)..]];
    }
}

/// <summary><c>spikesim train --model ann</c> and <c>spikesim compare</c> end to end, at toy sizes.</summary>
public sealed class CompareCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("spikesim-compare-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_ann_trains_from_the_command_line_and_refuses_checkpoints()
    {
        var json = Path.Combine(_dir, "ann.json");
        var result = CliProcess.Run("train", "--task", "yinyang", "--model", "ann", "--hidden", "16", "--epochs", "2", "--json", json);
        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal("ann", doc.RootElement.GetProperty("model").GetString());
        Assert.Contains("ReLU MLP", doc.RootElement.GetProperty("architecture").GetString());
        var refused = CliProcess.Run("train", "--task", "yinyang", "--model", "ann", "--checkpoint", Path.Combine(_dir, "c"));
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--checkpoint and --resume are for --model snn", refused.Stderr);
    }

    [Fact]
    public void Bench_train_times_the_conv_network_against_its_own_gemm_calls()
    {
        var json = Path.Combine(_dir, "conv-bench.json");
        var result = CliProcess.Run("bench", "train", "--arch", "conv", "--batch", "2", "--steps", "2", "--repeats", "1", "--json", json);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("1×28×28-12C5-MP2-64C5-MP2-10 LIF", result.Stdout);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        Assert.Equal("conv", root.GetProperty("arch").GetString());
        Assert.True(root.GetProperty("gemm_calls").GetInt32() >= 7, "the network's forward and backward GEMMs were replayed");
        // Times are not asserted (shared, noisy machines); only that the ratio is the quotient of the two times printed.
        var (fwdBwd, gemms) = (root.GetProperty("fwd_bwd_s").GetDouble(), root.GetProperty("gemm_s").GetDouble());
        Assert.True(fwdBwd > 0 && gemms > 0);
        Assert.Equal(fwdBwd / gemms, root.GetProperty("ratio").GetDouble(), 1e-9);
        CliProcess.AssertOneError(CliProcess.Run("bench", "train", "--arch", "conv", "--inputs", "10"), "--inputs");
    }

    [Fact]
    public void Compare_writes_a_table_of_both_models_and_five_arms()
    {
        var (md, json, png) = (Path.Combine(_dir, "t.md"), Path.Combine(_dir, "t.json"), Path.Combine(_dir, "t.png"));
        var result = CliProcess.Run("compare", "--task", "yinyang", "--seeds", "2", "--epochs", "1", "--hidden", "8",
            "--markdown", md, "--json", json, "--plot", png);
        Assert.Equal(0, result.ExitCode);
        var rows = File.ReadAllLines(md).Where(l => l.StartsWith("| ANN") || l.StartsWith("| SNN")).ToArray();
        Assert.Equal(10, rows.Length);
        Assert.Contains(rows, r => r.Contains("SGD + GRAPES propagating"));
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(20, doc.RootElement.GetProperty("runs").GetArrayLength());
        Assert.True(new FileInfo(png).Length > 1000);
        var bad = CliProcess.Run("compare", "--task", "randman");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("error: compare runs on mnist or yinyang", bad.Stderr);
    }
}

/// <summary><c>spikesim export --model CHECKPOINT</c>: quantised SpikeSim files and NIR files, and <c>inspect</c> on both.</summary>
public sealed class ExportTrainedCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("spikesim-export-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_checkpoint_exports_quantised_and_as_nir_and_both_inspect()
    {
        var checkpoint = Path.Combine(_dir, "ck");
        Assert.Equal(0, CliProcess.Run("train", "--task", "yinyang", "--hidden", "16", "--steps", "6", "--epochs", "1", "--checkpoint", checkpoint).ExitCode);
        var model = checkpoint;
        var (file, json, nir) = (Path.Combine(_dir, "m.spikesim"), Path.Combine(_dir, "q.json"), Path.Combine(_dir, "m.nir"));
        var quantised = CliProcess.Run("export", "--model", model, "--target", "loihi2", "-o", file, "--json", json);
        Assert.Equal(0, quantised.ExitCode);
        Assert.Contains("loihi2: test accuracy", quantised.Stdout);
        using (var doc = JsonDocument.Parse(File.ReadAllText(json)))
        {
            Assert.InRange(doc.RootElement.GetProperty("spike_agreement").GetDouble(), 0.5, 1.0);
            Assert.True(doc.RootElement.TryGetProperty("drop_points", out _));
        }
        var inspect = CliProcess.Run("inspect", file);
        Assert.Equal(0, inspect.ExitCode);
        Assert.Contains("a trained classifier", inspect.Stdout);
        Assert.Contains("quantised for loihi2", inspect.Stdout);
        Assert.Equal(0, CliProcess.Run("export", "--model", model, "--format", "nir", "-o", nir).ExitCode);
        var inspectNir = CliProcess.Run("inspect", nir);
        Assert.Equal(0, inspectNir.ExitCode);
        Assert.Contains("valid NIR file", inspectNir.Stdout);
        Assert.Contains("imports as the classifier 4-16-3 LIF, LI readout", inspectNir.Stdout);
        var refused = CliProcess.Run("export", "--model", model, "--format", "nir", "--target", "xylo", "-o", Path.Combine(_dir, "x.nir"));
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("NIR has no quantisation fields", refused.Stderr);
        Assert.False(File.Exists(Path.Combine(_dir, "x.nir")));
    }
}

/// <summary><c>spikesim meta backpropamine</c> and <c>spikesim meta maze</c> at toy sizes, with resume.</summary>
public sealed class MetaCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("spikesim-meta-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Backpropamine_runs_on_both_paths_and_writes_its_curves()
    {
        var json = Path.Combine(_dir, "bp.json");
        var result = CliProcess.Run("meta", "backpropamine", "--variant", "retroactive", "--episodes", "3", "--hidden", "8", "--json", json);
        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(3, doc.RootElement.GetProperty("runs")[0].GetProperty("reward").GetArrayLength());
        var spiking = Path.Combine(_dir, "snn.json");
        Assert.Equal(0, CliProcess.Run("meta", "backpropamine", "--path", "snn", "--compare", "--variants", "none,modulated", "--seeds", "1", "--episodes", "2", "--hidden", "6", "--json", spiking).ExitCode);
        using var snn = JsonDocument.Parse(File.ReadAllText(spiking));
        Assert.Equal("snn", snn.RootElement.GetProperty("path").GetString());
        Assert.Equal(["none", "modulated"], snn.RootElement.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("variant").GetString()));
        var agent = Path.Combine(_dir, "bp.spikesim");
        Assert.Equal(0, CliProcess.Run("meta", "backpropamine", "--path", "snn", "--variant", "plastic", "--episodes", "2", "--hidden", "6", "--seed", "4", "--export", agent).ExitCode);
        var inspected = CliProcess.Run("inspect", agent);
        Assert.Equal(0, inspected.ExitCode);
        Assert.Contains("a spiking Backpropamine agent for 'cue-reward'", inspected.Stdout);
        Assert.Contains("P by the plastic rule", inspected.Stdout);
        Assert.Contains("2 episodes of batch 30, 2 cues", inspected.Stdout);
        CliProcess.AssertOneError(CliProcess.Run("meta", "backpropamine", "--path", "ann", "--episodes", "2", "--export", agent, "--force"), "--export writes one spiking network");
        CliProcess.AssertOneError(CliProcess.Run("meta", "backpropamine", "--path", "snn", "--variant", "retroactive"), "exists on the ANN path only");
        CliProcess.AssertOneError(CliProcess.Run("meta", "backpropamine", "--path", "gpu"), "Unknown --path 'gpu'; choose snn or ann");
        CliProcess.AssertOneError(CliProcess.Run("meta", "backpropamine", "--compare", "--variants", "none,hebbian"), "Unknown --variants 'hebbian'; choose none, plastic, modulated or retroactive");
        CliProcess.AssertOneError(CliProcess.Run("meta", "backpropamine", "--variant", "hebbian"), "Unknown --variant 'hebbian'; choose none, plastic, modulated or retroactive");
    }

    [Fact]
    public void Maze_evolution_checkpoints_and_resumes_to_the_same_result()
    {
        string[] Args(int generations, string json, string checkpoint) =>
            ["meta", "maze", "--generations", $"{generations}", "--population", "8", "--hidden", "4", "--mazes", "2", "--size", "9",
             "--held-out", "3", "--json", json, "--checkpoint", checkpoint];
        var straight = Path.Combine(_dir, "straight.json");
        Assert.Equal(0, CliProcess.Run(Args(3, straight, Path.Combine(_dir, "a.es"))).ExitCode);
        var split = Path.Combine(_dir, "split.json");
        Assert.Equal(0, CliProcess.Run(Args(2, Path.Combine(_dir, "first.json"), Path.Combine(_dir, "b.es"))).ExitCode);
        // --seed on resume chooses the held-out set only: the evolution continues from the checkpoint's seed.
        Assert.Equal(0, CliProcess.Run([.. Args(3, split, Path.Combine(_dir, "b.es")), "--resume", "--seed", "5"]).ExitCode);
        using var a = JsonDocument.Parse(File.ReadAllText(straight));
        using var b = JsonDocument.Parse(File.ReadAllText(split));
        // The resumed run reports the whole fitness record, the generations before the checkpoint included.
        Assert.Equal(a.RootElement.GetProperty("mean").ToString(), b.RootElement.GetProperty("mean").ToString());
        Assert.Equal(a.RootElement.GetProperty("final_sigma").GetDouble(), b.RootElement.GetProperty("final_sigma").GetDouble());
        // Provenance: the evolution's seed is the checkpoint's (1), the held-out set the one asked for; σ₀ is the default 0.01, unknown on resume.
        Assert.Equal((1UL, 1UL, 0.01), (a.RootElement.GetProperty("evolution_seed").GetUInt64(), a.RootElement.GetProperty("held_out_seed").GetUInt64(), a.RootElement.GetProperty("initial_sigma").GetDouble()));
        Assert.Equal((1UL, 5UL, JsonValueKind.Null), (b.RootElement.GetProperty("evolution_seed").GetUInt64(), b.RootElement.GetProperty("held_out_seed").GetUInt64(), b.RootElement.GetProperty("initial_sigma").ValueKind));
        CliProcess.AssertOneError(CliProcess.Run("meta", "maze", "--agent", "lstm"), "Unknown --agent 'lstm'; choose decomposed, full, rnn or spiking");
        CliProcess.AssertOneError(CliProcess.Run([.. Args(4, Path.Combine(_dir, "x.json"), Path.Combine(_dir, "b.es")), "--resume", "--strategy", "openai"]),
            "holds a 'cma' evolution");
        CliProcess.AssertOneError(CliProcess.Run("meta", "maze", "--generations", "4", "--population", "8", "--hidden", "5", "--checkpoint", Path.Combine(_dir, "b.es"), "--resume"),
            "holds 138 evolved parameters");
        // The gated policy adds a readout row (hidden + 1 numbers): a softmax checkpoint is not one of its runs.
        CliProcess.AssertOneError(CliProcess.Run([.. Args(4, Path.Combine(_dir, "x.json"), Path.Combine(_dir, "b.es")), "--resume", "--policy", "gated-argmax"]),
            "holds 138 evolved parameters");
        var gated = Path.Combine(_dir, "gated.json");
        Assert.Equal(0, CliProcess.Run([.. Args(1, gated, Path.Combine(_dir, "g.es")), "--agent", "rnn", "--policy", "gated-argmax"]).ExitCode);
        using (var g = JsonDocument.Parse(File.ReadAllText(gated)))
        {
            Assert.Equal("gated-argmax", g.RootElement.GetProperty("policy").GetString());
            Assert.Equal(new MazeAgent(MazeAgentKind.NonPlastic, 4, ActionPolicyKind.GatedArgmax).ParameterCount, g.RootElement.GetProperty("parameters").GetInt32());
        }
        CliProcess.AssertOneError(CliProcess.Run([.. Args(1, gated, Path.Combine(_dir, "sg.es")), "--force", "--agent", "spiking", "--policy", "gated-argmax"]),
            "--agent spiking samples softmax(logits) only");
        var spiking = Path.Combine(_dir, "spiking.json");
        Assert.Equal(0, CliProcess.Run([.. Args(1, spiking, Path.Combine(_dir, "s.es")), "--agent", "spiking"]).ExitCode);
        using var c = JsonDocument.Parse(File.ReadAllText(spiking));
        Assert.Equal(MazeLearner.Episodes, c.RootElement.GetProperty("held_out_steps").GetArrayLength());
        var agentFile = Path.Combine(_dir, "agent.spikesim");
        Assert.Equal(0, CliProcess.Run([.. Args(3, spiking, Path.Combine(_dir, "s.es")), "--agent", "spiking", "--resume", "--force", "--export", agentFile]).ExitCode);
        var inspected = CliProcess.Run("inspect", agentFile);
        Assert.Equal(0, inspected.ExitCode);
        Assert.Contains("an evolved spiking maze agent", inspected.Stdout);
        Assert.Contains("evolved 3 generations", inspected.Stdout);
        CliProcess.AssertOneError(CliProcess.Run("run", agentFile), "the engines run its decomposed rules (DecomposedStdp) but not its maze loop");
        CliProcess.AssertOneError(CliProcess.Run([.. Args(1, spiking, Path.Combine(_dir, "r.es")), "--agent", "rnn", "--force", "--export", agentFile]), "--export writes the spiking agent");
    }

    [Fact]
    public void Neuromodulation_evolution_resumes_from_its_checkpoint_with_the_whole_record()
    {
        var checkpoint = Path.Combine(_dir, "nm.es");
        string[] Args(int generations, string json) =>
            ["meta", "neuromodulation", "--generations", $"{generations}", "--population", "4", "--epochs", "1", "--seeds", "1", "--threads", "1",
             "--checkpoint", checkpoint, "--json", json];
        var first = CliProcess.Run([.. Args(1, Path.Combine(_dir, "nm1.json")), "--seed", "5"]);
        Assert.True(first.ExitCode == 0, $"exit {first.ExitCode}: {first.Stderr}");
        var resumed = CliProcess.Run([.. Args(2, Path.Combine(_dir, "nm2.json")), "--resume"]);
        Assert.True(resumed.ExitCode == 0, $"exit {resumed.ExitCode}: {resumed.Stderr}");
        Assert.Contains("resumed after generation 1", resumed.Stdout);
        using var one = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "nm1.json")));
        using var both = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "nm2.json")));
        Assert.Equal(2, both.RootElement.GetProperty("mean").GetArrayLength());
        Assert.Equal(one.RootElement.GetProperty("mean")[0].GetDouble(), both.RootElement.GetProperty("mean")[0].GetDouble());
        // The resumed run (no --seed: default 17) goes on with its checkpoint's seed, and says so.
        Assert.Equal((5UL, 5UL), (one.RootElement.GetProperty("evolution_seed").GetUInt64(), both.RootElement.GetProperty("evolution_seed").GetUInt64()));
        var maze = Path.Combine(_dir, "maze.es");
        Assert.Equal(0, CliProcess.Run("meta", "maze", "--generations", "1", "--population", "4", "--hidden", "2", "--mazes", "1", "--size", "9", "--held-out", "1",
            "--checkpoint", maze).ExitCode);
        CliProcess.AssertOneError(CliProcess.Run("meta", "neuromodulation", "--generations", "2", "--checkpoint", maze, "--resume"), "the controller has 74");
    }
}
