using SpikeSim.Export.Nir;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Synapses;
using SpikeSim.Tests.Support;
using Xunit;

namespace SpikeSim.Tests.Cli;

public sealed class InspectNirTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("spikesim-inspect-nir-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_nir_file_that_reads_but_does_not_import_is_one_error_and_never_called_valid()
    {
        var network = new Network();
        var a = network.AddPopulation("a", 3, new Lif());
        var b = network.AddPopulation("b", 2, new Lif());
        network.Connect(a, b, new DenseConnectivity(3, 2, [0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f]), delayMs: 1);
        var graph = SimulationNir.FromNetwork(network, 0.1).Graph;
        var good = Path.Combine(_dir, "good.nir");
        NirFile.Write(graph, good);
        Assert.Contains("valid NIR file", CliProcess.Run("inspect", good).Stdout);
        graph.Nodes.First(n => n.Node.Type == "LIF").Node.Fields["tau"].Floats![0] = -1; // finite, so it reads; no neuron has it
        var bad = Path.Combine(_dir, "bad.nir");
        NirFile.Write(graph, bad);
        var result = CliProcess.Run("inspect", bad);
        Assert.Equal(2, result.ExitCode);
        Assert.DoesNotContain("valid", result.Stdout);
        Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error: "));
    }

    [Fact]
    public void Inspect_prints_the_true_shapes_of_a_classifier()
    {
        var checkpoint = Path.Combine(_dir, "c.ckpt");
        Assert.Equal(0, CliProcess.Run("train", "--task", "yinyang", "--hidden", "8", "--steps", "5", "--epochs", "1", "--checkpoint", checkpoint).ExitCode);
        var nir = Path.Combine(_dir, "c.nir");
        Assert.Equal(0, CliProcess.Run("export", "--model", checkpoint, "--format", "nir", "-o", nir).ExitCode);
        var inspect = CliProcess.Run("inspect", nir).Stdout;
        Assert.Contains("input: Input(shape = [4])", inspect);
        Assert.Contains("affine_0: Affine(weight [8×4], bias [8])", inspect);
        Assert.Contains("output: Output(shape = [3])", inspect);
    }
}
