using SpikeSim.Export.Nir;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Errors;
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
        Assert.Equal(ResetMode.ZeroAtNextStep, spec.Reset);   // snnTorch's importer resets to zero; the file states nothing else

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
        simulation.Record([new StateRecording(hidden, Lif.V, [0, 1, 2], spec.DtMs)], trace);
        for (var t = 0; t < steps; t++)
        {
            simulation.SetInput(simulated.Input, x.Select(v => (float)v).ToArray());
            simulation.RunSteps(1);
        }
        Assert.Equal(steps, trace.Steps.Count);
        for (var t = 0; t < steps; t++)
            for (var i = 0; i < 3; i++)
                Assert.True(Math.Abs(trace.Steps[t][i] - expected[t][i]) < 1e-5, $"step {t + 1}, neuron {i}: SpikeSim {trace.Steps[t][i]}, snnTorch's closed form {expected[t][i]}");
    }

    /// <summary>Input(4) → Affine → CubaLIF(6) → Affine → LI(3) → Output, with the given CubaLIF and LI fields.</summary>
    private static NirGraph CubaChain(float tauSyn, float tauMem, float r, float wIn, float threshold, float tauLi, float rLi, float vLeak = 0)
    {
        var rng = new Random(11);
        float[] Values(int n, double scale) => [.. Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() - 0.3) * scale))];
        NirArray Fill(int n, float v) => NirArray.F32(Enumerable.Repeat(v, n).ToArray());
        var graph = new NirGraph();
        graph.Nodes.Add(("input", NirNode.Of("Input", ("shape", NirArray.I64(4)))));
        graph.Nodes.Add(("0", NirNode.Of("Affine", ("weight", NirArray.F32(Values(24, 1.5), 6, 4)), ("bias", NirArray.F32(Values(6, 0.4))))));
        graph.Nodes.Add(("1", NirNode.Of("CubaLIF", ("tau_syn", Fill(6, tauSyn)), ("tau_mem", Fill(6, tauMem)), ("r", Fill(6, r)), ("w_in", Fill(6, wIn)),
            ("v_leak", Fill(6, vLeak)), ("v_threshold", Fill(6, threshold)), ("v_reset", Fill(6, 0)))));
        graph.Nodes.Add(("2", NirNode.Of("Affine", ("weight", NirArray.F32(Values(18, 1.0), 3, 6)), ("bias", NirArray.F32(Values(3, 0.2))))));
        graph.Nodes.Add(("3", NirNode.Of("LI", ("tau", Fill(3, tauLi)), ("r", Fill(3, rLi)), ("v_leak", Fill(3, vLeak)))));
        graph.Nodes.Add(("output", NirNode.Of("Output", ("shape", NirArray.I64(3)))));
        foreach (var (a, b) in new[] { ("input", "0"), ("0", "1"), ("1", "2"), ("2", "3"), ("3", "output") }) graph.Edges.Add((a, b));
        return graph;
    }

    /// <summary>Runs the chain on a constant input and returns, per step, the hidden layer's v and the readout.</summary>
    private static (List<float[]> Hidden, List<float[]> Readout) RunChain(NirGraph graph, NirDialect reader, float[] x, int steps, StateVariable? hiddenVariable = null)
    {
        var dir = Directory.CreateTempSubdirectory("spikesim-cuba-nir-").FullName;
        try
        {
            var path = Path.Combine(dir, "chain.nir");
            NirFile.Write(graph, path);
            var simulated = NirChain.Read(NirFile.Read(path), reader).ToSimulatedClassifier();
            using var backend = new HostBackend();
            using var simulation = new TimeStepSimulation(simulated.Network, backend, new TimeStepOptions(simulated.DtMs));
            var (hidden, readout) = (new Trace(), new Trace());
            var population = simulated.Network.Populations.Single(p => p.Name == "hidden_0");
            simulation.Record([new StateRecording(population, hiddenVariable ?? CubaLif.V, [.. Enumerable.Range(0, 6)], simulated.DtMs)], hidden);
            simulation.Record([new StateRecording(simulated.Output, simulated.ReadoutPotential, [0, 1, 2], simulated.DtMs)], readout);
            for (var t = 0; t < steps; t++)
            {
                simulation.SetInput(simulated.Input, x);
                simulation.RunSteps(1);
            }
            return (hidden.Steps, readout.Steps);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static float[] Affine(NirNode node, float[] x)
    {
        var (w, b) = (node.Fields["weight"].Floats!, node.Fields["bias"].Floats!);
        return [.. Enumerable.Range(0, b.Length).Select(i => Enumerable.Range(0, x.Length).Sum(j => w[i * x.Length + j] * x[j]) + b[i])];
    }

    /// <summary>
    /// Norse's to_nir writes a LIFCell as CubaLIF with τ = 1/τ⁻¹ in seconds, r = 1 and w_in = 1, and no dt; its from_nir runs
    /// it as x ← w_in·x, i ← i + dt/τ_syn·(x − i), v ← v + dt/τ_mem·(r·i − v), z = v > θ, v ← 0 where z, with dt = 1 ms
    /// (norse/torch/utils/import_nir.py CubaLIF, lif_box and leaky_integrator_box at 065a3b45).
    /// </summary>
    [Theory]
    [InlineData(0f)]
    [InlineData(0.1f)]   // v_leak: Norse's one LI box relaxes the synapse and the membrane to it
    public void A_cuba_lif_graph_laid_out_as_norse_writes_it_runs_with_norses_first_steps(float vLeak)
    {
        var graph = CubaChain(tauSyn: 0.005f, tauMem: 0.01f, r: 1, wIn: 1, threshold: 0.15f, tauLi: 0.02f, rLi: 1, vLeak);
        float[] x = [1.0f, 0.5f, -0.2f, 0.8f];
        const int steps = 12;
        var (hidden, readout) = RunChain(graph, NirDialect.Named("norse"), x, steps);
        double ks = 1e-3 / 0.005, km = 1e-3 / 0.01, kli = 1e-3 / 0.02;
        var h = Affine(graph["0"], x);
        // Norse's box cells start at v_leak (norse/torch/module/lif_box.py, leaky_integrator_box.py initial_state).
        double[] i = [.. Enumerable.Repeat((double)vLeak, 6)], v = [.. Enumerable.Repeat((double)vLeak, 6)], y = [.. Enumerable.Repeat((double)vLeak, 3)];
        var spikes = 0;
        for (var t = 0; t < steps; t++)
        {
            var z = new float[6];
            for (var n = 0; n < 6; n++)
            {
                i[n] += ks * (h[n] + vLeak - i[n]);
                v[n] += km * (vLeak - v[n] + i[n]);
                Assert.True(Math.Abs(hidden[t][n] - v[n]) < 1e-5, $"step {t + 1}, hidden {n}: SpikeSim {hidden[t][n]}, Norse {v[n]}");
                if (v[n] > 0.15) (z[n], v[n], spikes) = (1, 0, spikes + 1);
            }
            var o = Affine(graph["2"], z);
            for (var c = 0; c < 3; c++)
            {
                y[c] += kli * (vLeak - y[c] + o[c]);
                Assert.True(Math.Abs(readout[t][c] - y[c]) < 1e-5, $"step {t + 1}, readout {c}: SpikeSim {readout[t][c]}, Norse {y[c]}");
            }
        }
        Assert.True(spikes > 0, "the hidden layer never spiked; the reset goes untested");
    }

    /// <summary>
    /// snnTorch's export_to_nir writes a Synaptic as CubaLIF with τ_syn = dt/(1 − α), τ_mem = dt/(1 − β), r = τ_mem/dt and
    /// w_in = τ_syn/dt (dt = 1e-4 s); its importer runs it as syn ← α·syn + x, mem ← β·mem + syn, reset to zero.
    /// </summary>
    [Fact]
    public void A_cuba_lif_graph_laid_out_as_snntorch_writes_it_runs_with_snntorchs_first_steps()
    {
        const double dt = 1e-4, alpha = 0.8, beta = 0.9;
        float tauSyn = (float)(dt / (1 - alpha)), tauMem = (float)(dt / (1 - beta));
        var graph = CubaChain(tauSyn, tauMem, r: (float)(tauMem / dt), wIn: (float)(tauSyn / dt), threshold: 1f, tauLi: tauMem, rLi: (float)(tauMem / dt));
        float[] x = [1.0f, 0.5f, -0.2f, 0.8f];
        const int steps = 12;
        foreach (var reader in new[] { NirDialect.Named("snntorch"), NirDialect.Generic })
        {
            var (hidden, _) = RunChain(graph, reader, x, steps);
            var h = Affine(graph["0"], x);
            float a = 1f - (float)dt / tauSyn, b = 1f - (float)dt / tauMem;
            double[] syn = new double[6], mem = new double[6];
            var spikes = 0;
            for (var t = 0; t < steps; t++)
                for (var n = 0; n < 6; n++)
                {
                    syn[n] = a * syn[n] + h[n];
                    mem[n] = b * mem[n] + syn[n];
                    Assert.True(Math.Abs(hidden[t][n] - mem[n]) < 1e-4 * (1 + Math.Abs(mem[n])), $"{reader.Name}: step {t + 1}, neuron {n}: SpikeSim {hidden[t][n]}, snnTorch {mem[n]}");
                    if (mem[n] > 1) (mem[n], spikes) = (0, spikes + 1);
                }
            Assert.True(spikes > 0, "the hidden layer never spiked");
        }
    }

    /// <summary>
    /// An IF layer: NIR's dv/dt = r·I without leak. Norse's from_nir builds an <c>IAFCell</c> (v ← v + x, r not read, reset
    /// to 0); NIR's own reading is a jump of r·x. snnTorch's import_from_nir builds one it cannot run, which SpikeSim says.
    /// </summary>
    [Theory]
    [InlineData("norse", 1.0, 1.0)]
    [InlineData("generic", 1.0, 2.0)]
    public void An_if_layer_runs_with_each_readers_first_steps(string reader, double beta, double gain)
    {
        var graph = CubaChain(0.005f, 0.01f, 1, 1, 0.5f, 0.02f, 1);
        var r = reader == "generic" ? 2f : 1f;
        graph.Nodes[graph.Nodes.FindIndex(n => n.Name == "1")] = ("1", NirNode.Of("IF",
            ("r", NirArray.F32(Enumerable.Repeat(r, 6).ToArray())), ("v_threshold", NirArray.F32(Enumerable.Repeat(0.5f, 6).ToArray())),
            ("v_reset", NirArray.F32(new float[6]))));
        if (reader == "generic") graph.Metadata["dt"] = "0.001";   // for the LI readout; an IF needs none
        float[] x = [1.0f, 0.5f, -0.2f, 0.8f];
        const int steps = 10;
        var (hidden, _) = RunChain(graph, NirDialect.Named(reader), x, steps, Lif.V);
        var h = Affine(graph["0"], x);
        var v = new double[6];
        var spikes = 0;
        for (var t = 0; t < steps; t++)
            for (var n = 0; n < 6; n++)
            {
                v[n] = beta * v[n] + gain * h[n];
                Assert.True(Math.Abs(hidden[t][n] - v[n]) < 1e-5, $"{reader}: step {t + 1}, neuron {n}: SpikeSim {hidden[t][n]}, expected {v[n]}");
                if (v[n] > 0.5) (v[n], spikes) = (0, spikes + 1);
            }
        Assert.True(spikes > 0, "the IF layer never spiked");
        graph.Metadata.Clear();
        Assert.Contains("cannot run", Assert.Throws<SpikeSimException>(() => NirChain.Read(graph, NirDialect.Named("snntorch"))).Message);
    }

    /// <summary>
    /// snnTorch's MNIST MLPs start with <c>nn.Flatten()</c>: a Flatten node after a multi-dimensional Input (and one between
    /// layers) is a reshape of row-major values, read through; the chain is the one without them.
    /// </summary>
    [Fact]
    public void Flatten_nodes_are_read_through_and_a_multi_dimensional_input_is_read_flat()
    {
        var flat = CubaChain(0.005f, 0.01f, 1, 1, 0.15f, 0.02f, 1);
        var shaped = new NirGraph();
        foreach (var (name, node) in flat.Nodes)
            shaped.Nodes.Add((name, name == "input" ? NirNode.Of("Input", ("shape", NirArray.I64(1, 2, 2))) : node));
        shaped.Nodes.Add(("flat_in", NirNode.Of("Flatten", ("start_dim", NirArray.I64(0)), ("end_dim", NirArray.I64(-1)))));
        shaped.Nodes.Add(("flat_mid", NirNode.Of("Flatten", ("start_dim", NirArray.I64(0)), ("end_dim", NirArray.I64(-1)))));
        foreach (var (a, b) in new[] { ("input", "flat_in"), ("flat_in", "0"), ("0", "1"), ("1", "flat_mid"), ("flat_mid", "2"), ("2", "3"), ("3", "output") })
            shaped.Edges.Add((a, b));
        float[] x = [1.0f, 0.5f, -0.2f, 0.8f];
        var norse = NirDialect.Named("norse");
        Assert.Equal(NirChain.Read(flat, norse).ToString(), NirChain.Read(shaped, norse).ToString());
        Assert.Equal(RunChain(flat, norse, x, 8).Readout.SelectMany(v => v), RunChain(shaped, norse, x, 8).Readout.SelectMany(v => v));
    }

    /// <summary>The example graphs published with the NIR paper (Fixtures/README.md) each run, or give one line saying why not.</summary>
    [Fact]
    public void The_nir_papers_example_graphs_each_run_or_give_one_line_saying_why_not()
    {
        // Runs on a fixed input of 0s and 1s (one in five) and gives some non-zero output.
        static void Runs(NirChain chain, int inputs, int classes, int steps = 30)
        {
            using var backend = new HostBackend();
            var output = new float[steps * classes];
            var rng = new Random(3);
            chain.ToSimulatedClassifier().Run(backend, [.. Enumerable.Range(0, steps * inputs).Select(_ => rng.NextDouble() < 0.2 ? 1f : 0f)], steps, output);
            Assert.Contains(output, v => v != 0);
        }
        // The recurrent braille classifiers, written by snnTorch (RSynaptic layers, r = tau_mem/dt): run under both readings.
        foreach (var (name, shape) in new[] { ("braille_noDelay_bias_zero.nir", "12-38-7"), ("braille_noDelay_noBias_subtract.nir", "12-40-7") })
            foreach (var reader in new[] { NirDialect.Generic, NirDialect.Named("snntorch") })
            {
                var chain = NirChain.Read(NirFile.Read(Fixture(name)), reader);
                Assert.Equal($"{shape} recurrent CubaLIF, CubaLIF readout", chain.ToString());
                Runs(chain, 12, 7);
            }
        // Their subgraph variants: the inner edges name "lif" where the node is "lif1", which the error says.
        foreach (var name in new[] { "braille_noDelay_bias_zero_subgraph.nir", "braille_noDelay_noBias_subtract_subgraph.nir" })
            Assert.Contains("lif1.lif → lif1.lin names a node that does not exist", Assert.Throws<SpikeSimException>(() => NirFile.Read(Fixture(name))).Message);
        // The N-MNIST CNN (Sinabs; snnTorch ships the same file as scnn_mnist.nir): two input channels, IF layers, pooling
        // of spikes folded into the next convolution and into the first Affine. Runs on 2×34×34 inputs.
        var cnn = NirChain.Read(NirFile.Read(Fixture("cnn_sinabs.nir")), NirDialect.Generic);
        Assert.Equal("2×34×34-16C5S2P1-16C3P1-8C6S2P2-256-10 IF, IF readout", cnn.ToString());
        Runs(cnn, 2 * 34 * 34, 10);
        // The two-LIF debug graph (v_leak 1.2, no dt): read with Norse's rules, as the single-LIF graphs below.
        Assert.Equal("1-1-1 LIF, LIF readout", NirChain.Read(NirFile.Read(Fixture("two_lif_neurons.nir")), NirDialect.Named("norse")).ToString());
        // The single-LIF graphs of Norse (r = 1, no dt) and Rockpool: read with Norse's rules; the default asks for them.
        foreach (var name in new[] { "lif_norse.nir", "lif_rockpool.nir" })
        {
            var graph = NirFile.Read(Fixture(name));
            Assert.Equal("1-1 LIF readout", NirChain.Read(graph, NirDialect.Named("norse")).ToString());
        }
        Assert.Contains("--nir-from", Assert.Throws<SpikeSimException>(() => NirChain.Read(NirFile.Read(Fixture("lif_norse.nir")), NirDialect.Generic)).Message);
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
