using SpikeSim.Learning.Layers;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Export.Nir;

/// <summary>
/// A trained classifier as a NIR graph and back: <c>input → affine_0 → lif_0 → … → readout → output</c>, a recurrent
/// layer as a Linear cycle <c>lif_k → recurrent_k → lif_k</c>. SpikeSim's step v[t] = β·v[t−1] + W·x[t] + b is
/// written in snnTorch's convention, which NIR consumers read: forward Euler with dt and r = τ/dt, so that
/// v[t] = (1 − dt/τ)·v[t−1] + (dt/τ)·r·I[t] = β·v[t−1] + I[t] for τ = dt/(1 − β). The graph's metadata states
/// dt, this convention, the reset (NIR has no reset mode), the spike test and how the classifier is run.
/// NIR cannot hold adaptive thresholds (ALIF), quantisation or training records: those stay in the SpikeSim file.
/// </summary>
public static class TrainedNir
{
    /// <summary>The time step written into NIR files, in seconds (the trained model's Δt is only a scale for τ).</summary>
    private static double DtSeconds(SnnModelSpec spec) => spec.DtMs / 1000;

    /// <summary>The NIR graph of a trained network; refuses, naming the node, what NIR cannot express.</summary>
    public static NirGraph FromNetwork(CheckpointHeader header, SpikingNetwork network)
    {
        var spec = header.Model;
        if (spec.Cell == HiddenCell.Alif)
            throw new SpikeSimException("NIR has no adaptive-threshold neuron: node 'alif_0' (ALIF) cannot be written; use --format spikesim.");
        var graph = new NirGraph();
        graph.Nodes.Add(("input", NirNode.Of("Input", ("shape", NirArray.I64(spec.Inputs)))));
        var previous = "input";
        var cells = spec.Cells();
        for (var l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
            var last = l == network.Layers.Count - 1;
            var affine = $"affine_{l}";
            graph.Nodes.Add((affine, NirNode.Of("Affine",
                ("weight", NirArray.F32(layer.Parameters[0].Value.ToArray(), layer.Outputs, layer.Inputs)),
                ("bias", NirArray.F32(layer.Parameters[^1].Value.ToArray())))));
            var name = last ? "readout" : $"lif_{l}";
            var leaky = last && spec.Readout == ReadoutKind.LeakyIntegrator;
            var beta = Math.Exp(-spec.DtMs / (leaky ? spec.TauReadoutMs : cells[l].TauMemMs));
            var tau = Fill(layer.Outputs, DtSeconds(spec) / (1 - beta));
            var r = Fill(layer.Outputs, 1 / (1 - beta));
            var zeros = Fill(layer.Outputs, 0);
            graph.Nodes.Add((name, leaky
                ? NirNode.Of("LI", ("tau", tau), ("r", r), ("v_leak", zeros))
                : NirNode.Of("LIF", ("tau", tau), ("r", r), ("v_leak", zeros), ("v_threshold", Fill(layer.Outputs, cells[l].VThreshold)), ("v_reset", zeros))));
            graph.Edges.Add((previous, affine));
            graph.Edges.Add((affine, name));
            if (layer is SpikingRecurrent)
            {
                graph.Nodes.Add(($"recurrent_{l}", NirNode.Of("Linear", ("weight", NirArray.F32(layer.Parameters[1].Value.ToArray(), layer.Outputs, layer.Outputs)))));
                graph.Edges.Add((name, $"recurrent_{l}"));
                graph.Edges.Add(($"recurrent_{l}", name));
            }
            previous = name;
        }
        graph.Nodes.Add(("output", NirNode.Of("Output", ("shape", NirArray.I64(spec.Classes)))));
        graph.Edges.Add((previous, "output"));
        var m = graph.Metadata;
        m["producer"] = "SpikeSim";
        m["dt"] = DtSeconds(spec).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        m["discretisation"] = "forward Euler with r = tau/dt (snnTorch's convention): v[t] = (1 - dt/tau)*v[t-1] + (dt/tau)*r*I[t] = beta*v[t-1] + I[t]";
        m["reset"] = spec.Reset == SpikeReset.ToZero ? "to v_reset" : "subtract v_threshold";
        m["spike_test"] = "v > v_threshold";
        m["recurrent_edges"] = "carry the previous step's spikes";
        m["task"] = OptionName.Of(header.Task);
        m["steps"] = header.Options.Steps.ToString(System.Globalization.CultureInfo.InvariantCulture);
        m["encoder"] = OptionName.Of(header.Options.Encoder);
        m["readout"] = OptionName.Of(header.Options.Loss);
        m["seed"] = header.Options.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return graph;
    }

    /// <summary>Builds a classifier from a NIR graph of the shape <see cref="FromNetwork"/> writes (Linear allowed for Affine).</summary>
    public static (SnnModelSpec Spec, SpikingNetwork Network) ToNetwork(NirGraph graph, IComputeBackend backend)
    {
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
        var metadataDt = graph.Metadata.TryGetValue("dt", out var dtText) && double.TryParse(dtText, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : (double?)null;
        var hidden = chain.Take(chain.Count - 1).Select(c => Neuron(nodes[c.Neuron], c.Neuron, metadataDt)).ToList();
        if (hidden.Any(h => h.Type != "LIF")) throw new SpikeSimException("Hidden layers must be LIF nodes.");
        if (hidden.Select(h => (h.Beta, h.Threshold)).Distinct().Count() > 1)
            throw new SpikeSimException("The hidden layers differ in tau or threshold; SpikeSim's classifier has one hidden cell for all of them.");
        var readout = Neuron(nodes[chain[^1].Neuron], chain[^1].Neuron, metadataDt);
        var reset = graph.Metadata.TryGetValue("reset", out var r) && r.StartsWith("to", StringComparison.Ordinal) ? SpikeReset.ToZero : SpikeReset.Subtract;
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
            layer.Parameters[0].Value.CopyFrom(affine.Fields["weight"].Floats!);
            var bias = affine.Type == "Affine" ? Floats(affine.Fields["bias"], chain[l].Affine, layer.Outputs) : new float[layer.Outputs];
            layer.Parameters[^1].Value.CopyFrom(bias);
            if (chain[l].Recurrent is { } rec)
            {
                var rw = nodes[rec].Fields.GetValueOrDefault("weight") ?? throw new SpikeSimException($"Node '{rec}' has no weight.");
                layer.Parameters[1].Value.CopyFrom(Floats(rw, rec, layer.Outputs * layer.Outputs));
            }
        }
        return (spec, network);
    }

    private static bool IsRecurrentEdge(NirGraph graph, (string Source, string Target) edge)
        => graph.Edges.Any(e => e.Source == edge.Target && e.Target == edge.Source);

    private sealed record NeuronValues(string Type, float Beta, float Threshold);

    // β from snnTorch's convention (r = τ/dt, so β = 1 − 1/r); where r = 1, from the graph's dt (β = 1 − dt/τ).
    private static NeuronValues Neuron(NirNode node, string name, double? dt)
    {
        var tau = Uniform(node.Fields["tau"], name, "tau");
        var r = Uniform(node.Fields["r"], name, "r");
        if (Uniform(node.Fields["v_leak"], name, "v_leak") != 0) throw new SpikeSimException($"Node '{name}' has a non-zero v_leak, which SpikeSim's classifier layers do not have.");
        double beta = r > 1 ? 1 - 1 / r : dt is { } s && tau > s ? 1 - s / tau : throw new SpikeSimException($"Node '{name}': neither r = tau/dt (r > 1) nor a metadata dt below tau gives its decay.");
        var threshold = node.Type == "LIF" ? Uniform(node.Fields["v_threshold"], name, "v_threshold") : 0f;
        return new NeuronValues(node.Type, (float)beta, threshold);
    }

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
