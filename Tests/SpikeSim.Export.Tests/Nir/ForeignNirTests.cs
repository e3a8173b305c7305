using SpikeSim.Export.Nir;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Recording;
using Xunit;

namespace SpikeSim.Tests.Export.Nir;

/// <summary>
/// NIR files as other frameworks write them, read and run by SpikeSim with the writer's semantics, checked against the
/// closed form of their first steps. <c>Fixtures/rleaky_snntorch.nir</c> was written by snnTorch's own
/// <c>export_to_nir</c> (<c>Fixtures/make_fixtures.py</c>): Linear(2, 3) → RLeaky(β 0.9) → Linear(3, 2) → Leaky(β 0.8),
/// laid out flat with dotted names (<c>1.lif ↔ 1.w_rec</c>), the recurrent nn.Linear as an Affine with its bias, float64
/// neuron fields, r = τ/dt with dt = 1e-4 s and no metadata.
/// </summary>
public sealed class ForeignNirTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Nir", "Fixtures", name);

    /// <summary>Each step's v of the recorded population.</summary>
    private sealed class Trace : IRecordingSink
    {
        public List<float[]> Steps { get; } = [];

        public void Spikes(int recording, ReadOnlySpan<int> neurons, ReadOnlySpan<double> timesMs) { }

        public void State(int recording, double timeMs, ReadOnlySpan<float> values) => Steps.Add(values.ToArray());
    }

    [Fact]
    public void An_rleaky_graph_written_by_snntorch_runs_with_snntorchs_first_steps()
    {
        var graph = NirFile.Read(Fixture("rleaky_snntorch.nir"));
        using var backend = new HostBackend();
        var (spec, network) = TrainedNir.ToNetwork(graph, backend);
        using var _ = network;
        Assert.Equal("2-3-2 recurrent LIF, LIF readout", spec.ToString());
        Assert.Equal(SpikeReset.ToZero, spec.Reset);   // snnTorch's importer resets to zero; the file states nothing else

        // snnTorch's RLeaky (reset to zero, no delay): u[t] = β·u[t−1]·(1 − s[t−1]) + W·x + b + W_rec·s[t−1] + b_rec, s = u > θ.
        var (w, b) = (graph["0"].Fields["weight"].Floats!, graph["0"].Fields["bias"].Floats!);
        var (wRec, bRec) = (graph["1.w_rec"].Fields["weight"].Floats!, graph["1.w_rec"].Fields["bias"].Floats!);
        var beta = 1 - 1e-4 / graph["1.lif"].Fields["tau"].Floats![0];
        double[] x = [3, 3];
        const int steps = 6;
        var expected = new List<double[]>();
        double[] u = new double[3], s = new double[3];
        var spikes = 0;
        for (var t = 0; t < steps; t++)
        {
            var next = new double[3];
            for (var i = 0; i < 3; i++)
            {
                next[i] = beta * u[i] * (1 - s[i]) + w[2 * i] * x[0] + w[2 * i + 1] * x[1] + b[i] + bRec[i];
                for (var j = 0; j < 3; j++) next[i] += wRec[3 * i + j] * s[j];
            }
            u = next;
            s = u.Select(v => v > 1 ? 1.0 : 0.0).ToArray();
            spikes += (int)s.Sum();
            expected.Add(u);
        }
        Assert.True(spikes > 0, "the closed form never spikes; the reset and the recurrent weights go untested");

        var simulated = SimulatedClassifier.From(network, spec.DtMs);
        var hidden = simulated.Network.Populations.Single(p => p.Name == "hidden_0");
        using var simulation = new TimeStepSimulation(simulated.Network, backend, new TimeStepOptions(spec.DtMs));
        var trace = new Trace();
        simulation.Record([new StateRecording(hidden, DiscreteLif.U, [0, 1, 2], spec.DtMs)], trace);
        for (var t = 0; t < steps; t++)
        {
            simulation.SetInput(simulated.Input, x.Select(v => (float)v).ToArray());
            simulation.Run(1);
        }
        Assert.Equal(steps, trace.Steps.Count);
        for (var t = 0; t < steps; t++)
            for (var i = 0; i < 3; i++)
                Assert.True(Math.Abs(trace.Steps[t][i] - expected[t][i]) < 1e-5, $"step {t + 1}, neuron {i}: SpikeSim {trace.Steps[t][i]}, snnTorch's closed form {expected[t][i]}");
    }

    [Fact]
    public void A_nested_nir_subgraph_is_opened_in_place_and_its_ports_spliced()
    {
        var dir = Directory.CreateTempSubdirectory("spikesim-nested-nir-").FullName;
        try
        {
            // The same RLeaky, laid out as a nested NIRGraph node as snnTorch's _extract_snntorch_module returns it.
            var path = Path.Combine(dir, "nested.nir");
            NestedFixture.Write(path, NirFile.Read(Fixture("rleaky_snntorch.nir")));
            var flat = NirFile.Read(path);
            Assert.Contains(flat.Edges, e => e == ("1.lif", "1.w_rec"));
            Assert.Contains(flat.Edges, e => e == ("0", "1.lif"));
            Assert.Contains(flat.Edges, e => e == ("1.lif", "2"));
            Assert.DoesNotContain(flat.Nodes, n => n.Name.StartsWith("1.", StringComparison.Ordinal) && n.Node.Type is "Input" or "Output");
            using var backend = new HostBackend();
            var (spec, network) = TrainedNir.ToNetwork(flat, backend);
            network.Dispose();
            Assert.Equal("2-3-2 recurrent LIF, LIF readout", spec.ToString());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

/// <summary>Writes the snnTorch RLeaky fixture with its recurrent cell as a nested NIRGraph node "1".</summary>
internal static class NestedFixture
{
    public static void Write(string path, NirGraph flat)
    {
        static PureHDF.H5Group Node(NirNode node)
        {
            var group = new PureHDF.H5Group { ["type"] = node.Type };
            foreach (var (name, value) in node.Fields)
                group[name] = value.Ints is { } ints ? ints
                    : value.Shape.Length == 2 ? To2D(value.Floats!, (int)value.Shape[0], (int)value.Shape[1]) : value.Floats!;
            return group;
        }
        static float[,] To2D(float[] v, int rows, int columns)
        {
            var m = new float[rows, columns];
            for (var i = 0; i < rows; i++) for (var j = 0; j < columns; j++) m[i, j] = v[i * columns + j];
            return m;
        }
        static string[,] Edges(params (string, string)[] edges)
        {
            var e = new string[edges.Length, 2];
            for (var i = 0; i < edges.Length; i++) (e[i, 0], e[i, 1]) = edges[i];
            return e;
        }
        var three = NirNode.Of("Input", ("shape", NirArray.I64(3)));
        var inner = new PureHDF.H5Group
        {
            ["type"] = "NIRGraph",
            ["nodes"] = new PureHDF.H5Group
            {
                ["input"] = Node(three), ["lif"] = Node(flat["1.lif"]), ["w_rec"] = Node(flat["1.w_rec"]),
                ["output"] = Node(NirNode.Of("Output", ("shape", NirArray.I64(3)))),
            },
            ["edges"] = Edges(("input", "lif"), ("lif", "w_rec"), ("w_rec", "lif"), ("lif", "output")),
        };
        var nodes = new PureHDF.H5Group { ["1"] = inner };
        foreach (var name in new[] { "input", "0", "2", "3", "output" }) nodes[name] = Node(flat[name]);
        new PureHDF.H5File
        {
            ["version"] = "1.0.7",
            ["node"] = new PureHDF.H5Group { ["type"] = "NIRGraph", ["nodes"] = nodes, ["edges"] = Edges(("input", "0"), ("0", "1"), ("1", "2"), ("2", "3"), ("3", "output")) },
        }.Write(path);
    }
}
