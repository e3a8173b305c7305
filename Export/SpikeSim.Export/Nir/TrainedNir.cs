using System.Globalization;
using SpikeSim.Learning.Encoders;
using SpikeSim.Learning.Layers;
using SpikeSim.Learning.Losses;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Export.Nir;

/// <summary>
/// A trained classifier as a NIR graph and back: <c>input → affine_0 → lif_0 → … → readout → output</c>, a recurrent
/// layer as a Linear cycle <c>lif_k → recurrent_k → lif_k</c>. SpikeSim's step u[t] = β·u[t−1] + W·x[t] + b is written
/// for one consumer's importer (<see cref="NirDialect"/>: the generic convention r = τ/dt with the model's dt, snnTorch's,
/// or Norse's), so that its own discretisation gives back β and the input term. The graph's metadata states dt, the
/// dialect, the reset (NIR has no reset mode), the spike test and how the classifier is run. NIR cannot hold adaptive
/// thresholds (ALIF), quantisation or training records: those stay in the SpikeSim file.
/// </summary>
public static class TrainedNir
{
    /// <summary>The NIR graph of a trained network for <paramref name="dialect"/> (generic where null).</summary>
    public static NirGraph FromNetwork(CheckpointHeader header, SpikingNetwork network, NirDialect? dialect = null)
        => FromNetwork(header.Model, ClassifierRun.Of(header), network, dialect ?? NirDialect.Generic);

    /// <summary>The NIR graph of a trained network for <paramref name="dialect"/>; refuses, naming the node, what it cannot hold.</summary>
    public static NirGraph FromNetwork(SnnModelSpec spec, ClassifierRun run, SpikingNetwork network, NirDialect dialect)
    {
        dialect.Check(spec);
        var graph = new NirGraph();
        graph.Nodes.Add(("input", NirNode.Of("Input", ("shape", NirArray.I64(spec.Inputs)))));
        var previous = "input";
        var cells = spec.Cells();
        for (var l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
            var last = l == network.Layers.Count - 1;
            var affine = $"affine_{l}";
            var name = last ? "readout" : $"lif_{l}";
            var leaky = last && spec.Readout == ReadoutKind.LeakyIntegrator;
            var beta = Discretization.Decay(spec.DtMs, leaky ? spec.TauReadoutMs : cells[l].TauMemMs);
            var fields = dialect.Leaky(beta, spec);
            graph.Nodes.Add((affine, NirNode.Of("Affine",
                ("weight", NirArray.F32(Scaled(layer.Parameters[0].Value.ToArray(), fields.InputScale), layer.Outputs, layer.Inputs)),
                ("bias", NirArray.F32(Scaled(layer.Parameters[^1].Value.ToArray(), fields.InputScale))))));
            var (tau, r, zeros) = (Fill(layer.Outputs, fields.Tau), Fill(layer.Outputs, fields.R), Fill(layer.Outputs, 0));
            graph.Nodes.Add((name, leaky
                ? NirNode.Of("LI", ("tau", tau), ("r", r), ("v_leak", zeros))
                : NirNode.Of("LIF", ("tau", tau), ("r", r), ("v_leak", zeros), ("v_threshold", Fill(layer.Outputs, cells[l].VThreshold)), ("v_reset", zeros))));
            graph.Edges.Add((previous, affine));
            graph.Edges.Add((affine, name));
            if (layer is SpikingRecurrent)
            {
                graph.Nodes.Add(($"recurrent_{l}", NirNode.Of("Linear",
                    ("weight", NirArray.F32(Scaled(layer.Parameters[1].Value.ToArray(), fields.InputScale), layer.Outputs, layer.Outputs)))));
                graph.Edges.Add((name, $"recurrent_{l}"));
                graph.Edges.Add(($"recurrent_{l}", name));
            }
            previous = name;
        }
        graph.Nodes.Add(("output", NirNode.Of("Output", ("shape", NirArray.I64(spec.Classes)))));
        graph.Edges.Add((previous, "output"));
        var m = graph.Metadata;
        m["producer"] = "SpikeSim";
        m["nir_for"] = dialect.Name;
        m["dt"] = dialect.DtSeconds(spec).ToString("R", CultureInfo.InvariantCulture);
        m["discretisation"] = dialect.Discretisation;
        m["reset"] = spec.Reset == SpikeReset.ToZero ? ResetToZero : ResetSubtract;
        m["spike_test"] = "v > v_threshold";
        m["recurrent_edges"] = "carry the previous step's spikes";
        m["task"] = OptionName.Of(run.Task);
        m["steps"] = run.Steps.ToString(CultureInfo.InvariantCulture);
        m["encoder"] = OptionName.Of(run.Encoder);
        m["readout"] = OptionName.Of(run.Loss);
        m["seed"] = run.Seed.ToString(CultureInfo.InvariantCulture);
        return graph;
    }

    /// <summary>
    /// The metadata <c>reset</c> of a layer that resets to zero: NIR's own reset to v_reset = 0. SpikeSim zeroes the decayed
    /// term at the next step, u[t] = β·u[t−1]·(1 − s[t−1]) + h[t], which gives the same spikes as zeroing v at once.
    /// </summary>
    public const string ResetToZero = "to v_reset";

    /// <summary>The metadata <c>reset</c> of SpikeSim's subtraction of θ at the next step, undecayed, which NIR cannot express.</summary>
    public const string ResetSubtract = "subtract v_threshold";

    // A scaled copy (the values themselves where the scale is 1).
    private static float[] Scaled(float[] values, double scale) => scale == 1 ? values : values.Select(v => (float)(v * scale)).ToArray();

    /// <summary>Builds a classifier from a NIR graph of the shape <c>FromNetwork</c> writes (Linear allowed for Affine).</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="backend">Where the network is built.</param>
    /// <param name="reader">Whose semantics to read it with (<see cref="NirDialect.Read"/>); null: the generic ones, from the file's metadata.</param>
    public static (SnnModelSpec Spec, SpikingNetwork Network) ToNetwork(NirGraph graph, IComputeBackend backend, NirDialect? reader = null)
    {
        reader ??= NirDialect.Generic;
        var nodes = graph.Nodes.ToDictionary(n => n.Name, n => n.Node);
        var input = nodes.Where(n => n.Value.Type == "Input").Select(n => n.Key).ToList();
        if (input.Count != 1) throw new SpikeSimException($"A classifier needs exactly one Input node; the graph has {input.Count}.");
        var chain = new List<(string Affine, string Neuron, string? Recurrent)>();
        var current = input[0];
        while (true)
        {
            var next = graph.Edges.Where(e => e.Source == current && !IsRecurrentEdge(graph, e)).Select(e => e.Target).ToList();
            if (next.Count != 1) throw new SpikeSimException($"Node '{current}' must lead to exactly one node (it leads to {next.Count}).");
            if (nodes[next[0]].Type == "Output") break;
            if (nodes[next[0]].Type is not ("Affine" or "Linear")) throw new SpikeSimException($"Node '{next[0]}' is {nodes[next[0]].Type}; after '{current}' SpikeSim expects an Affine or Linear node.");
            var neuron = graph.Edges.Where(e => e.Source == next[0]).Select(e => e.Target).ToList();
            if (neuron.Count != 1 || nodes[neuron[0]].Type is not ("LIF" or "LI"))
                throw new SpikeSimException($"Node '{next[0]}' must lead to one LIF or LI node.");
            var recurrent = graph.Edges.Where(e => e.Source == neuron[0] && IsRecurrentEdge(graph, e)).Select(e => e.Target).FirstOrDefault();
            chain.Add((next[0], neuron[0], recurrent));
            current = neuron[0];
        }
        if (chain.Count < 2) throw new SpikeSimException("A classifier needs at least one hidden layer and a readout.");
        var metadataDt = graph.Metadata.TryGetValue("dt", out var dtText) && double.TryParse(dtText, CultureInfo.InvariantCulture, out var d) ? d : (double?)null;
        if (metadataDt is { } given && !(given > 0 && double.IsFinite(given)))
            throw new SpikeSimException($"The graph's metadata dt must be a positive time in seconds (got {dtText}).");
        var neurons = chain.Select(c => Neuron(nodes[c.Neuron], c.Neuron, metadataDt, reader)).ToList();
        var hidden = neurons.Take(chain.Count - 1).ToList();
        var readout = neurons[^1];
        for (var l = 0; l < hidden.Count; l++)
            if (hidden[l].Type != "LIF") throw new SpikeSimException($"Node '{chain[l].Neuron}' is {hidden[l].Type}; SpikeSim's classifiers have LIF hidden layers.");
        if (hidden.Select(h => (h.Beta, h.Threshold)).Distinct().Count() > 1)
            throw new SpikeSimException("The hidden layers differ in tau or threshold; SpikeSim's classifier has one hidden cell for all of them.");
        if (readout.Type == "LIF" && (readout.Threshold != hidden[0].Threshold))
            throw new SpikeSimException($"Node '{chain[^1].Neuron}' has a threshold other than the hidden layers'; SpikeSim's classifier has one threshold.");
        var reset = reader.ImportedReset ?? Reset(graph, nodes, chain.Select(c => c.Neuron));
        var widths = chain.Select(c => Rows(nodes[c.Affine], c.Affine)).ToArray();
        var inputs = (int)Length(nodes[input[0]].Fields["shape"], input[0]);
        var spec = new SnnModelSpec(inputs, widths[..^1], widths[^1], HiddenCell.Lif, chain.Any(c => c.Recurrent is not null),
            readout.Type == "LI" ? ReadoutKind.LeakyIntegrator : ReadoutKind.Spiking,
            TauMemMs: Tau(hidden[0].Beta), TauReadoutMs: Tau(readout.Beta), VThreshold: hidden[0].Threshold, DtMs: 1.0, Reset: reset);
        var width = inputs;
        for (var l = 0; l < chain.Count; l++)
        {
            var w = nodes[chain[l].Affine].Fields["weight"];
            if (w.Shape.Length != 2 || (int)w.Shape[1] != width || w.Floats is null)
                throw new SpikeSimException($"Node '{chain[l].Affine}' must hold a float [{widths[l]}, {width}] weight.");
            width = widths[l];
        }
        var network = spec.Build(backend, seed: 0);
        for (var l = 0; l < chain.Count; l++)
        {
            var layer = network.Layers[l];
            var affine = nodes[chain[l].Affine];
            var scale = neurons[l].InputScale;
            layer.Parameters[0].Value.CopyFrom(Scaled(Finite(affine.Fields["weight"].Floats!, chain[l].Affine, "weight"), scale));
            var bias = affine.Type == "Affine" ? Finite(Floats(affine.Fields["bias"], chain[l].Affine, layer.Outputs), chain[l].Affine, "bias") : new float[layer.Outputs];
            if (chain[l].Recurrent is { } rec)
            {
                var rw = nodes[rec].Fields.GetValueOrDefault("weight") ?? throw new SpikeSimException($"Node '{rec}' has no weight.");
                layer.Parameters[1].Value.CopyFrom(Scaled(Finite(Floats(rw, rec, layer.Outputs * layer.Outputs), rec, "weight"), scale));
                // A recurrent Affine (snnTorch's RLeaky writes its nn.Linear with a bias) adds its bias every step, as the input's does.
                if (nodes[rec].Type == "Affine")
                    bias = bias.Zip(Finite(Floats(nodes[rec].Fields["bias"], rec, layer.Outputs), rec, "bias"), (a, b) => a + b).ToArray();
            }
            layer.Parameters[^1].Value.CopyFrom(Scaled(bias, scale));
        }
        return (spec, network);
    }

    // SpikeSim's own files say which reset they use; NIR's reset is to v_reset at once, which gives the spikes of
    // SpikeSim's reset to zero (u[t] = β·u[t−1]·(1 − s[t−1]) + h[t]) where v_reset is 0.
    private static SpikeReset Reset(NirGraph graph, Dictionary<string, NirNode> nodes, IEnumerable<string> neurons)
    {
        if (graph.Metadata.TryGetValue("reset", out var stated))
            return stated == ResetSubtract ? SpikeReset.Subtract : stated == ResetToZero ? SpikeReset.ToZero
                : throw new SpikeSimException($"The graph's metadata reset '{stated}' is neither '{ResetToZero}' nor '{ResetSubtract}'.");
        foreach (var name in neurons)
            if (nodes[name].Fields.TryGetValue("v_reset", out var vr) && Uniform(vr, name, "v_reset") != 0)
                throw new SpikeSimException($"Node '{name}' field 'v_reset' is not 0; SpikeSim's classifier layers reset to 0.");
        return SpikeReset.ToZero;
    }

    private static bool IsRecurrentEdge(NirGraph graph, (string Source, string Target) edge)
        => graph.Edges.Any(e => e.Source == edge.Target && e.Target == edge.Source);

    private sealed record NeuronValues(string Type, float Beta, float Threshold, double InputScale);

    // NIR's LIF and LI, τ·dv/dt = (v_leak − v) + r·I, read by the reader's rules (forward Euler at some dt, which gives
    // β and the factor by which the weights feeding the node are scaled).
    private static NeuronValues Neuron(NirNode node, string name, double? dt, NirDialect reader)
    {
        var tau = Uniform(Field(node, name, "tau"), name, "tau");
        var r = Uniform(Field(node, name, "r"), name, "r");
        if (!(tau > 0) || !float.IsFinite(tau)) throw new SpikeSimException($"Node '{name}' field 'tau' must be a positive time in seconds (got {tau:R}).");
        if (!(r > 0) || !float.IsFinite(r)) throw new SpikeSimException($"Node '{name}' field 'r' must be positive and finite (got {r:R}).");
        var vLeak = Uniform(Field(node, name, "v_leak"), name, "v_leak");
        if (vLeak != 0) throw new SpikeSimException($"Node '{name}' field 'v_leak' is {vLeak:R}; SpikeSim's classifier layers have none.");
        var (beta, scale) = reader.Read(tau, r, dt, name);
        var threshold = 0f;
        if (node.Type == "LIF")
        {
            threshold = Uniform(Field(node, name, "v_threshold"), name, "v_threshold");
            if (!(threshold > 0) || !float.IsFinite(threshold)) throw new SpikeSimException($"Node '{name}' field 'v_threshold' must be positive and finite (got {threshold:R}).");
        }
        return new NeuronValues(node.Type, (float)beta, threshold, scale);
    }

    private static NirArray Field(NirNode node, string name, string field)
        => node.Fields.GetValueOrDefault(field) ?? throw new SpikeSimException($"Node '{name}' ({node.Type}) has no field '{field}'.");

    private static float[] Finite(float[] values, string node, string field)
        => values.All(float.IsFinite) ? values : throw new SpikeSimException($"Node '{node}' field '{field}' holds NaN or infinite values.");

    private static double Tau(float beta) => -1.0 / Math.Log(beta);

    private static float Uniform(NirArray a, string node, string field)
    {
        var values = a.Floats ?? throw new SpikeSimException($"Node '{node}' field '{field}' must be float.");
        if (values.Length == 0 || values.Any(v => v != values[0]))
            throw new SpikeSimException($"Node '{node}' has per-neuron values of '{field}'; SpikeSim's classifier layers share one value per layer.");
        return values[0];
    }

    private static int Rows(NirNode node, string name)
    {
        var w = node.Fields["weight"];
        return w.Shape.Length == 2 ? (int)w.Shape[0] : throw new SpikeSimException($"Node '{name}' must hold a 2-D weight.");
    }

    private static long Length(NirArray a, string node)
        => a.Ints is { Length: 1 } i && i[0] > 0 ? i[0] : a.Floats is { Length: 1 } f && f[0] > 0 ? (long)f[0]
            : throw new SpikeSimException($"Node '{node}' must have a one-dimensional shape.");

    private static float[] Floats(NirArray a, string node, int expected)
        => a.Floats is { } f && f.Length == expected ? f : throw new SpikeSimException($"Node '{node}' must hold {expected} float values.");

    private static NirArray Fill(int n, double value) => NirArray.F32(Enumerable.Repeat((float)value, n).ToArray());
}

/// <summary>How a trained classifier is run — what a NIR file's metadata records so that a reader can evaluate it.</summary>
/// <param name="Task">The task it was trained on.</param>
/// <param name="Steps">Time steps per sample.</param>
/// <param name="Encoder">How a sample becomes the per-step input.</param>
/// <param name="Loss">The loss, which says how the readout's outputs give a prediction.</param>
/// <param name="Seed">The seed of the run (stochastic encoders draw from it).</param>
public sealed record ClassifierRun(TaskKind Task, int Steps, EncoderKind Encoder, LossKind Loss, int Seed)
{
    /// <summary>The run a checkpoint was trained with.</summary>
    public static ClassifierRun Of(CheckpointHeader header)
        => new(header.Task, header.Options.Steps, header.Options.Encoder, header.Options.Loss, header.Options.Seed);
}
