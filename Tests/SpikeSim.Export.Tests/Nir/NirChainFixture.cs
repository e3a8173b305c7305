using SpikeSim.Export.Nir;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Recording;

namespace SpikeSim.Tests.Export.Nir;

/// <summary>
/// A small NIR classifier for the node-kind tests: <c>Input(4) → Affine(5) → LIF(5) → tail → Output</c> at dt = 1 ms,
/// its hidden spikes and readout recorded step by step, so a test checks a node's equations against the spikes.
/// </summary>
internal static class NirChainFixture
{
    /// <summary>Step of the graphs' metadata, in ms.</summary>
    public const double DtMs = 1.0;

    /// <summary>Values in [−0.3·scale, 0.7·scale) from <paramref name="rng"/>.</summary>
    public static float[] Values(Random rng, int n, double scale) => [.. Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() - 0.3) * scale))];

    /// <summary>A field of <paramref name="n"/> equal values.</summary>
    public static NirArray Fill(int n, float v) => NirArray.F32(Enumerable.Repeat(v, n).ToArray());

    /// <summary>The hidden layer (node "1", five LIF neurons) and <paramref name="tail"/> in order, chained to the Output of <paramref name="classes"/>.</summary>
    public static NirGraph Chain(int seed, int classes, params (string Name, NirNode Node)[] tail)
    {
        var rng = new Random(seed);
        var graph = new NirGraph();
        graph.Nodes.Add(("input", NirNode.Of("Input", ("shape", NirArray.I64(4)))));
        graph.Nodes.Add(("0", NirNode.Of("Affine", ("weight", NirArray.F32(Values(rng, 20, 2.0), 5, 4)), ("bias", NirArray.F32(Values(rng, 5, 0.5))))));
        graph.Nodes.Add(("1", NirNode.Of("LIF", ("tau", Fill(5, 0.01f)), ("r", Fill(5, 10f)), ("v_leak", Fill(5, 0)), ("v_threshold", Fill(5, 1)), ("v_reset", Fill(5, 0)))));
        graph.Nodes.AddRange(tail);
        graph.Nodes.Add(("output", NirNode.Of("Output", ("shape", NirArray.I64(classes)))));
        for (var i = 0; i + 1 < graph.Nodes.Count; i++) graph.Edges.Add((graph.Nodes[i].Name, graph.Nodes[i + 1].Name));
        graph.Metadata["dt"] = (DtMs / 1000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return graph;
    }

    /// <summary>
    /// <paramref name="graph"/> written to a file, read back with <paramref name="reader"/>'s rules and run as a
    /// classifier for <paramref name="steps"/> steps of the same input <paramref name="x"/>: the readout's rows (steps ×
    /// <paramref name="classes"/>), the first spiking layer's spike count, and the chain as it reads.
    /// </summary>
    public static (float[] Readout, long HiddenSpikes, string Chain) RunThroughFile(NirGraph graph, NirDialect reader, float[] x, int steps, int classes)
    {
        var dir = Directory.CreateTempSubdirectory("spikesim-nir-chain-").FullName;
        try
        {
            var path = Path.Combine(dir, "g.nir");
            NirFile.Write(graph, path);
            var chain = NirChain.Read(NirFile.Read(path), reader);
            var classifier = chain.ToSimulatedClassifier();
            using var backend = new HostBackend();
            var hidden = new SpikeCount();
            var encoded = Enumerable.Range(0, steps).SelectMany(_ => x).ToArray();
            var rows = new float[steps * classes];
            classifier.Run(backend, encoded, steps, rows, simulation => simulation.Record([new SpikeRecording(classifier.Network.Populations[0])], hidden));
            return (rows, hidden.Spikes, chain.ToString());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Counts the spikes it is sent.</summary>
    private sealed class SpikeCount : IRecordingSink
    {
        public long Spikes { get; private set; }

        void IRecordingSink.Spikes(int recording, ReadOnlySpan<int> neurons, ReadOnlySpan<double> timesMs) => Spikes += neurons.Length;

        public void State(int recording, double timeMs, ReadOnlySpan<float> values) { }
    }

    /// <summary>An Affine of <paramref name="outputs"/> × 5 weights from <paramref name="seed"/>.</summary>
    public static (string, NirNode) Affine(string name, int outputs, int seed)
    {
        var rng = new Random(seed);
        return (name, NirNode.Of("Affine", ("weight", NirArray.F32(Values(rng, outputs * 5, 1.0), outputs, 5)), ("bias", NirArray.F32(Values(rng, outputs, 0.3)))));
    }

    /// <summary>What a run recorded: the hidden layer's spikes and, per step, the readout's state v.</summary>
    public sealed class Sink : IRecordingSink
    {
        public List<float[]> States { get; } = [];

        public List<(int Neuron, double TimeMs)> Fired { get; } = [];

        /// <summary>The hidden spikes of step <paramref name="t"/> as 1 and 0.</summary>
        public double[] SpikesAt(int t, int neurons = 5)
        {
            var s = new double[neurons];
            foreach (var (neuron, time) in Fired) if (Math.Abs(time - t * DtMs) < 1e-9) s[neuron] = 1;
            return s;
        }

        public void Spikes(int recording, ReadOnlySpan<int> neurons, ReadOnlySpan<double> timesMs)
        {
            for (var k = 0; k < neurons.Length; k++) Fired.Add((neurons[k], timesMs[k]));
        }

        public void State(int recording, double timeMs, ReadOnlySpan<float> values) => States.Add(values.ToArray());
    }

    /// <summary>Runs <paramref name="chain"/> for <paramref name="steps"/> steps on the host launcher, with input <paramref name="x"/>(t) (a constant one where null).</summary>
    public static Sink Run(NirChain chain, int steps, Func<int, float[]>? x = null)
    {
        var simulated = chain.ToSimulatedClassifier(DtMs);
        using var backend = new HostBackend();
        using var simulation = new TimeStepSimulation(simulated.Network, backend, new TimeStepOptions(DtMs));
        var sink = new Sink();
        var hidden = simulated.Network.Populations.Single(p => p.Name == "hidden_0");
        var readout = simulated.SpikingReadout ? [] : new Recording[] { new StateRecording(simulated.Output, simulated.ReadoutPotential, [.. Enumerable.Range(0, simulated.Output.Size)], DtMs) };
        simulation.Record([new SpikeRecording(hidden), .. readout], sink);
        for (var t = 0; t < steps; t++)
        {
            simulation.SetInput(simulated.Input, x?.Invoke(t) ?? [1f, 0.5f, 2f, 1.5f]);
            simulation.RunSteps(1);
        }
        return sink;
    }
}
