using System.Text.Json;
using SpikeSim.Tests.Support;
using Xunit;

namespace SpikeSim.Tests.Cli;

/// <summary>The command line as a contract: its forms, its JSON, and one clear line with exit code 2 for bad input.</summary>
public sealed class CliTests
{
    [Theory]
    [InlineData("--n 0", "--n 0: must be a whole number of at least 1")]
    [InlineData("--duration-ms -5", "--duration-ms -5: must be above 0")]
    [InlineData("--dt-ms 30", "larger than tau_mem")]
    [InlineData("--duration-ms 1e12", "--duration-ms 1e12: must be above 0")]
    [InlineData("--dt-ms 0", "--dt-ms 0: must be above 0")]
    [InlineData("--device tpu", "Unknown --device 'tpu'; choose auto, cpu, cuda, opencl or ilgpu-cpu-emulator")]
    [InlineData("--n abc", "--n 'abc' is not a whole number")]
    [InlineData("--no-such-flag 1", "Unknown option '--no-such-flag' for spikesim simulate cuba")]
    [InlineData("--engine warp", "Unknown --engine 'warp'; choose step or event")]
    public void Bad_input_ends_with_one_clear_line_and_exit_code_2(string arguments, string message)
    {
        string[] shortRun = arguments.Contains("--duration-ms") ? [] : ["--duration-ms", "10"];
        CliProcess.AssertOneError(CliProcess.Run(["simulate", "cuba", .. shortRun, .. arguments.Split(' ')]), message);
    }

    [Theory]
    [InlineData("--network hopfield", "Unknown --network 'hopfield'; choose cuba, brunel or distal-reward")]
    [InlineData("--format onnx", "Unknown --format 'onnx'; choose spikesim or nir")]
    [InlineData("--target truenorth", "Unknown --target 'truenorth'; choose int8, loihi2 or xylo")]
    public void Export_refuses_an_unknown_choice_with_the_choices(string arguments, string message)
        => CliProcess.AssertOneError(CliProcess.Run(["export", "-o", Path.Combine(Path.GetTempPath(), "never.spikesim"), .. arguments.Split(' ')]), message);

    [NoCudaFact]
    public void Asking_for_cuda_where_there_is_none_is_a_clear_error()
    {
        var result = CliProcess.Run("simulate", "cuba", "--device", "cuda", "--duration-ms", "10");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: No CUDA device was found (ILGPU saw none); use --device cpu or --device auto.", result.Stderr.Trim());
    }

    [Fact]
    public void Simulate_cuba_writes_the_documented_json_and_a_raster_png()
    {
        var dir = Directory.CreateTempSubdirectory("spikesim-cli-");
        var json = Path.Combine(dir.FullName, "out", "cuba.json");
        var png = Path.Combine(dir.FullName, "raster.png");
        var result = CliProcess.Run("simulate", "cuba", "--n", "1000", "--duration-ms", "200", "--seed", "4", "--device", "cpu",
            "--json", json, "--raster", png);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("device: CPU", result.Stderr);
        var root = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        Assert.Equal(1000, root.GetProperty("n").GetInt32());
        Assert.InRange(root.GetProperty("synapses").GetInt64(), 70_000, 90_000);
        Assert.True(root.GetProperty("spikes").GetInt64() > 0);
        Assert.InRange(root.GetProperty("mean_rate_hz").GetDouble(), 1, 50);
        Assert.True(root.GetProperty("run_s").GetDouble() > 0);
        Assert.StartsWith("CPU", root.GetProperty("device").GetString());
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(png)[..4]);
        dir.Delete(recursive: true);
    }

    [Fact]
    public void Bench_cuba_without_the_reference_reports_spikesim_and_its_memory()
    {
        var json = Path.Combine(Directory.CreateTempSubdirectory("spikesim-bench-").FullName, "bench.json");
        var result = CliProcess.Run("bench", "cuba", "--n", "1000", "--duration-ms", "100", "--repeats", "2", "--no-reference", "--json", json);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var root = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        Assert.Equal(1000, root.GetProperty("n").GetInt32());
        Assert.True(root.GetProperty("spikesim_run_s").GetDouble() > 0);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("brian2_run_s").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("ratio").ValueKind);
        Assert.InRange(root.GetProperty("bytes_per_synapse").GetDouble(), 8, 12);
    }

    [Theory]
    [InlineData("step")]
    [InlineData("event")]
    public void Simulate_brunel_writes_the_documented_json(string engine)
    {
        var json = Path.Combine(Directory.CreateTempSubdirectory("spikesim-brunel-").FullName, "brunel.json");
        var result = CliProcess.Run("simulate", "brunel", "--regime", "C", "--n-scale", "0.1", "--duration-ms", "100", "--engine", engine, "--json", json);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var root = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        Assert.Equal(engine, root.GetProperty("engine").GetString());
        Assert.Equal(1250, root.GetProperty("n").GetInt32());
        Assert.Equal(1250 * (100 + 25), root.GetProperty("synapses").GetInt64());
        Assert.True(root.GetProperty("spikes").GetInt64() > 0);
        Assert.True(root.GetProperty("mean_rate_hz").GetDouble() > 1);
        Assert.True(root.GetProperty("run_s").GetDouble() > 0);
        Assert.True(root.GetProperty("synaptic_events_per_s").GetDouble() > 0);
        Assert.Equal(5, root.GetProperty("g").GetDouble());
    }

    [Fact]
    public void Brunel_rejects_an_unknown_regime_and_a_bad_scale()
    {
        var regime = CliProcess.Run("simulate", "brunel", "--regime", "E");
        Assert.Equal(2, regime.ExitCode);
        Assert.Contains("Unknown --regime 'E'; choose a, b, c or d", regime.Stderr);
        var scale = CliProcess.Run("simulate", "brunel", "--n-scale", "0");
        Assert.Equal(2, scale.ExitCode);
        Assert.Contains("--n-scale 0: must be above 0", scale.Stderr);
    }

    [Fact]
    public void An_exported_network_inspects_and_simulates_to_the_same_spikes()
    {
        var dir = Directory.CreateTempSubdirectory("spikesim-export-").FullName;
        var file = Path.Combine(dir, "cuba.spikesim");
        Assert.Equal(0, CliProcess.Run("export", "--network", "cuba", "--n", "1000", "--seed", "3", "-o", file).ExitCode);
        var inspect = CliProcess.Run("inspect", file);
        Assert.Equal(0, inspect.ExitCode);
        Assert.Contains("valid SpikeSim model file", inspect.Stdout);
        Assert.Contains("1000 × CubaLif", inspect.Stdout);
        var fromFile = CliProcess.Run("simulate", "model", file, "--duration-ms", "200", "--json", Path.Combine(dir, "a.json"));
        var direct = CliProcess.Run("simulate", "cuba", "--n", "1000", "--seed", "3", "--duration-ms", "200", "--json", Path.Combine(dir, "b.json"));
        Assert.True(fromFile.ExitCode == 0 && direct.ExitCode == 0, fromFile.Stderr + direct.Stderr);
        long Spikes(string name) => JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, name))).RootElement.GetProperty("spikes").GetInt64();
        Assert.Equal(Spikes("b.json"), Spikes("a.json"));
        File.WriteAllBytes(Path.Combine(dir, "bad.spikesim"), File.ReadAllBytes(file)[..100]);
        var bad = CliProcess.Run("inspect", Path.Combine(dir, "bad.spikesim"));
        Assert.Equal(2, bad.ExitCode);
        Assert.StartsWith("error: This is not a readable SpikeSim model file", bad.Stderr);
    }

    [Fact]
    public void A_model_file_written_again_keeps_its_node_names_and_metadata_and_the_same_network_gives_the_same_bytes()
    {
        var dir = Directory.CreateTempSubdirectory("spikesim-reexport-").FullName;
        string File(string name) => Path.Combine(dir, name);
        static byte[] Contents(string path)
        {
            var file = SpikeSim.Export.ModelFileCodec.Decode(System.IO.File.ReadAllBytes(path));
            file.Header = null;
            return Google.Protobuf.MessageExtensions.ToByteArray(file);
        }
        foreach (var network in new[] { "cuba", "distal-reward" })
        {
            Assert.Equal(0, CliProcess.Run("export", "--network", network, "--n", "300", "-o", File($"{network}-a.spikesim")).ExitCode);
            Assert.Equal(0, CliProcess.Run("export", "--network", network, "--n", "300", "-o", File($"{network}-b.spikesim")).ExitCode);
            Assert.Equal(Contents(File($"{network}-a.spikesim")), Contents(File($"{network}-b.spikesim")));
            Assert.Equal(0, CliProcess.Run("export", "--model", File($"{network}-a.spikesim"), "-o", File($"{network}-again.spikesim")).ExitCode);
            Assert.Equal(Contents(File($"{network}-a.spikesim")), Contents(File($"{network}-again.spikesim")));
        }
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void Help_lists_the_commands()
    {
        var result = CliProcess.Run("--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("simulate", result.Stdout);
        Assert.Contains("bench", result.Stdout);
    }
}
