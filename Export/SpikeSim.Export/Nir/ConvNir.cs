using SpikeSim.Simulator.Convolution;
using System.Globalization;
using SpikeSim.Export.Codecs;
using SpikeSim.Learning.Layers;
using SpikeSim.Learning.Layers.Convolution;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Export.Nir;

/// <summary>
/// A trained convolutional classifier as a NIR graph and back:
/// <c>input (C, H, W) → conv_0 (Conv2d) → pool_0 (AvgPool2d | SumPool2d) → lif_0 (LIF over C×H×W) → … → flatten →
/// [affine_k → lif_k …] → affine_L → readout (LI | LIF) → output</c>, in NIR's channels-first terms: kernels
/// [C_out, C_in, k, k] (<see cref="KernelLayout"/>), per-neuron fields shaped like the layer's image, Flatten of the
/// (C, H, W) tensor in PyTorch's order — SpikeSim's <see cref="Flatten"/> already produces that order. Neurons are
/// written in the generic convention (r = τ/dt at the model's dt) with the metadata <see cref="TrainedNir"/> writes.
/// NIR 1.0 has no max pooling, so a network with max pooling is refused, naming its node; so is an input of more than
/// one channel (SpikeSim's data are channels-last, NIR's inputs channels-first).
/// </summary>
public static class ConvNir
{
    /// <summary>
    /// The NIR graph of a trained convolutional network for <paramref name="dialect"/>: each Conv2d's and Affine's
    /// weights scaled to the consumer's reading of the cell after it, as the dense writer does; a pooling the consumer
    /// does not build as SpikeSim computes it is refused naming its node.
    /// </summary>
    public static NirGraph FromNetwork(SnnModelSpec spec, ClassifierRun run, SpikingNetwork network, NirDialect dialect)
    {
        var conv = spec.Convolution ?? throw new ArgumentException("The network has no convolutional stages.", nameof(spec));
        dialect.Check(spec);
        if (conv.Channels != 1)
            throw new SpikeSimException($"Node 'input' has {conv.Channels} channels; SpikeSim writes convolutional NIR graphs of one input channel (its data are channels-last, NIR's channels-first).");
        var graph = new NirGraph();
        graph.Nodes.Add(("input", NirNode.Of("Input", ("shape", NirArray.I64(conv.Channels, conv.Height, conv.Width)))));
        var previous = "input";
        void Add(string name, NirNode node)
        {
            graph.Nodes.Add((name, node));
            graph.Edges.Add((previous, name));
            previous = name;
        }
        var cells = spec.Cells();
        var stage = 0;
        var dense = 0;
        ImageShape? image = null; // what the last convolution or pooling layer gives the neurons after it
        foreach (var layer in network.Layers)
        {
            switch (layer)
            {
                case Conv2d c:
                {
                    var g = c.Geometry;
                    image = g.Output;
                    // Scaled for the consumer's reading of the LIF after it (pooling is linear: the scale passes through it).
                    var scale = dialect.Leaky(Discretization.Decay(spec.DtMs, cells[stage].TauMemMs), spec).InputScale;
                    Add($"conv_{stage}", NirNode.Of("Conv2d",
                        ("weight", NirArray.F32(NirChain.Scaled(c.WeightOihw(), scale), g.Output.Channels, g.Input.Channels, g.Kernel, g.Kernel)),
                        ("bias", NirArray.F32(NirChain.Scaled(c.Parameters[1].Value.ToArray(), scale))),
                        ("stride", NirArray.I64(g.Stride, g.Stride)), ("padding", NirArray.I64(g.Padding, g.Padding)),
                        ("dilation", NirArray.I64(1, 1)), ("groups", NirArray.I64(1)), ("input_shape", NirArray.I64(g.Input.Height, g.Input.Width))));
                    break;
                }
                case Pool2d p:
                {
                    var type = p.Kind switch
                    {
                        PoolKind.Average => "AvgPool2d",
                        PoolKind.Sum => "SumPool2d",
                        _ => throw new SpikeSimException($"Node 'pool_{stage}' is a max pooling; NIR 1.0 has only AvgPool2d and SumPool2d (train with --pool average or --pool sum to export to NIR)."),
                    };
                    dialect.CheckPooling(p.Kind, $"pool_{stage}");
                    var g = p.Geometry;
                    image = g.Output;
                    Add($"pool_{stage}", NirNode.Of(type, ("kernel_size", NirArray.I64(g.Size, g.Size)), ("stride", NirArray.I64(g.Stride, g.Stride)), ("padding", NirArray.I64(0, 0))));
                    break;
                }
                case SpikingActivation:
                {
                    var shape = image ?? throw new SpikeSimException($"Node 'lif_{stage}' follows neither a convolution nor a pooling layer.");
                    Add($"lif_{stage}", Lif(Discretization.Decay(spec.DtMs, cells[stage].TauMemMs), cells[stage].VThreshold, spec, dialect, shape.Channels, shape.Height, shape.Width));
                    stage++;
                    break;
                }
                case Flatten f:
                    Add("flatten", NirNode.Of("Flatten", ("start_dim", NirArray.I64(0)), ("end_dim", NirArray.I64(-1))));
                    break;
                case SpikingLinear or LeakyReadout:
                {
                    var last = layer == network.Layers[^1];
                    var leaky = last && layer is LeakyReadout;
                    var beta = Discretization.Decay(spec.DtMs, leaky ? spec.TauReadoutMs : cells[stage + dense].TauMemMs);
                    var fields = dialect.Leaky(beta, spec);
                    Add($"affine_{dense}", NirNode.Of("Affine",
                        ("weight", NirArray.F32(NirChain.Scaled(layer.Parameters[0].Value.ToArray(), fields.InputScale), layer.Outputs, layer.Inputs)),
                        ("bias", NirArray.F32(NirChain.Scaled(layer.Parameters[^1].Value.ToArray(), fields.InputScale)))));
                    if (leaky)
                        Add("readout", NirNode.Of("LI", ("tau", NirFields.Fill(layer.Outputs, fields.Tau)), ("r", NirFields.Fill(layer.Outputs, fields.R)), ("v_leak", NirFields.Fill(layer.Outputs, 0))));
                    else
                        Add(last ? "readout" : $"lif_d{dense}", Lif(beta, cells[stage + dense].VThreshold, spec, dialect, layer.Outputs));
                    dense++;
                    break;
                }
                default:
                    throw new SpikeSimException($"A {layer.Describe()} layer has no NIR form in SpikeSim's writer (recurrent layers after convolutions are not written yet).");
            }
        }
        Add("output", NirNode.Of("Output", ("shape", NirArray.I64(spec.Classes))));
        TrainedNir.DescribeRun(graph.Metadata, spec, run, dialect);
        return graph;
    }

    private static NirNode Lif(double beta, double threshold, SnnModelSpec spec, NirDialect dialect, params int[] shape)
    {
        var n = shape.Aggregate(1, (a, b) => a * b);
        var fields = dialect.Leaky(beta, spec);
        NirArray Fill(double value) => NirArray.F32(Enumerable.Repeat((float)value, n).ToArray(), shape);
        return NirNode.Of("LIF", ("tau", Fill(fields.Tau)), ("r", Fill(fields.R)), ("v_leak", Fill(0)), ("v_threshold", Fill(threshold)), ("v_reset", Fill(0)));
    }

    /// <summary>Whether a graph holds convolutions (and so is read by <see cref="ToNetwork"/>).</summary>
    public static bool IsConvolutional(NirGraph graph) => graph.Nodes.Any(n => n.Node.Type == "Conv2d");

    /// <summary>
    /// Builds a convolutional classifier from a graph of the shape <see cref="FromNetwork"/> writes: stages of Conv2d, an
    /// optional AvgPool2d or SumPool2d (window = stride, no padding) and a LIF; a Flatten; Affine–LIF hidden layers; an
    /// Affine and an LI or LIF readout. One LIF cell for every spiking layer, as SpikeSim trains them.
    /// </summary>
    public static (SnnModelSpec Spec, SpikingNetwork Network) ToNetwork(NirGraph graph, IComputeBackend backend, NirDialect? reader = null)
    {
        reader ??= NirDialect.Generic;
        var nodes = graph.Nodes.ToDictionary(n => n.Name, n => n.Node);
        var metadataDt = graph.Metadata.TryGetValue("dt", out var dtText) && double.TryParse(dtText, CultureInfo.InvariantCulture, out var d) ? d : (double?)null;
        var chain = Chain(graph, nodes);
        var input = nodes[chain[0]];
        var shape = Ints(input, chain[0], "shape");
        if (shape.Length != 3 || shape[0] != 1)
            throw new SpikeSimException($"Node '{chain[0]}' has the shape [{string.Join(", ", shape)}]; SpikeSim reads convolutional graphs whose input is one channel of H × W.");
        var image = new ImageShape(1, (int)shape[1], (int)shape[2]);
        var stages = new List<ConvStage>();
        var convWeights = new List<(float[] Weight, float[] Bias)>();
        var dense = new List<(float[] Weight, float[] Bias, int Outputs)>();
        var lifs = new List<(double Beta, double Threshold, double Scale, string Name)>();
        (double Beta, double Scale)? readoutLi = null;
        var i = 1;
        string Name() => i < chain.Count ? chain[i] : throw new SpikeSimException("The graph ends before its Output node.");
        var current = image;
        while (nodes[Name()].Type == "Conv2d")
        {
            var (name, node) = (Name(), nodes[Name()]);
            var w = node.Fields["weight"];
            if (w.Shape.Length != 4 || (int)w.Shape[1] != current.Channels || w.Shape[2] != w.Shape[3])
                throw new SpikeSimException($"Node '{name}' has a weight of shape [{string.Join(", ", w.Shape)}]; SpikeSim reads square kernels [C_out, {current.Channels}, k, k].");
            var stride = Pair(node, name, "stride", 1);
            var padding = Pair(node, name, "padding", 0);
            if (Pair(node, name, "dilation", 1) != 1 || (node.Fields.TryGetValue("groups", out var groups) && groups.Ints?[0] != 1))
                throw new SpikeSimException($"Node '{name}' has a dilation or groups other than 1, which SpikeSim's Conv2d does not have.");
            var (outC, k) = ((int)w.Shape[0], (int)w.Shape[2]);
            var bias = node.Fields.TryGetValue("bias", out var b) ? b.Floats! : new float[outC];
            var geometry = new ConvGeometry(current, outC, k, stride, padding);
            current = geometry.Output;
            i++;
            var (pool, poolSize) = (PoolKind.Max, 1);
            if (nodes[Name()].Type is "AvgPool2d" or "SumPool2d")
            {
                var (poolName, poolNode) = (Name(), nodes[Name()]);
                poolSize = Pair(poolNode, poolName, "kernel_size", 1);
                if (Pair(poolNode, poolName, "stride", poolSize) != poolSize || Pair(poolNode, poolName, "padding", 0) != 0)
                    throw new SpikeSimException($"Node '{poolName}' has a stride other than its window or a padding; SpikeSim's stages pool non-overlapping windows.");
                pool = poolNode.Type == "AvgPool2d" ? PoolKind.Average : PoolKind.Sum;
                current = new PoolGeometry(current, poolSize, poolSize).Output;
                i++;
            }
            lifs.Add(ReadLif(nodes[Name()], Name(), current.Size, metadataDt, reader));
            stages.Add(new ConvStage(outC, k, stride, padding, pool, poolSize));
            convWeights.Add((w.Floats!, bias));
            i++;
        }
        if (nodes[Name()].Type != "Flatten") throw new SpikeSimException($"Node '{Name()}' ({nodes[Name()].Type}) follows the convolutional stages; SpikeSim reads a Flatten there.");
        i++;
        var width = current.Size;
        while (nodes[Name()].Type is "Affine" or "Linear")
        {
            var (name, node) = (Name(), nodes[Name()]);
            var w = node.Fields["weight"];
            if (w.Shape.Length != 2 || (int)w.Shape[1] != width)
                throw new SpikeSimException($"Node '{name}' has a weight of shape [{string.Join(", ", w.Shape)}]; it takes {width} inputs.");
            var outputs = (int)w.Shape[0];
            dense.Add((w.Floats!, node.Fields.TryGetValue("bias", out var b) ? b.Floats! : new float[outputs], outputs));
            i++;
            var neuron = nodes[Name()];
            if (neuron.Type == "LI" && nodes[chain[i + 1 < chain.Count ? i + 1 : i]].Type == "Output")
                readoutLi = reader.Read((float)NirFields.Uniform(neuron, Name(), "tau"), (float)NirFields.Uniform(neuron, Name(), "r"), metadataDt, Name());
            else lifs.Add(ReadLif(neuron, Name(), outputs, metadataDt, reader));
            width = outputs;
            i++;
        }
        if (nodes[Name()].Type != "Output") throw new SpikeSimException($"Node '{Name()}' ({nodes[Name()].Type}) is not one SpikeSim's convolutional classifiers have.");
        if (dense.Count == 0) throw new SpikeSimException("A convolutional classifier needs an Affine readout after its Flatten.");
        if (lifs.Select(l => (l.Beta, l.Threshold)).Distinct().Count() > 1)
            throw new SpikeSimException("The LIF layers differ in tau or threshold; SpikeSim's classifier has one cell for all of them.");
        var lif = lifs[0];
        var spikingReadout = readoutLi is null;
        var spec = new SnnModelSpec(image.Size, [.. dense.SkipLast(1).Select(l => l.Outputs)], dense[^1].Outputs, HiddenCell.Lif, false,
            spikingReadout ? ReadoutKind.Spiking : ReadoutKind.LeakyIntegrator, TauMemMs: Tau(lif.Beta), TauReadoutMs: Tau(readoutLi?.Beta ?? lif.Beta),
            VThreshold: lif.Threshold, DtMs: 1.0, Reset: ReadReset(graph),
            Convolution: new ConvolutionSpec(1, image.Height, image.Width, [.. stages]));
        var network = spec.Build(backend, seed: 0);
        var convs = network.Layers.OfType<Conv2d>().ToList();
        for (var s = 0; s < convs.Count; s++)
        {
            var scale = (float)lifs[s].Scale;
            convs[s].SetWeightOihw(convWeights[s].Weight.Select(v => v * scale).ToArray());
            convs[s].Parameters[1].Value.CopyFrom(convWeights[s].Bias.Select(v => v * scale).ToArray());
        }
        var denseLayers = network.Layers.Where(l => l is SpikingLinear or LeakyReadout).ToList();
        for (var l = 0; l < denseLayers.Count; l++)
        {
            var scale = (float)(l == denseLayers.Count - 1 && readoutLi is { } li ? li.Scale : lifs[stages.Count + l].Scale);
            denseLayers[l].Parameters[0].Value.CopyFrom(dense[l].Weight.Select(v => v * scale).ToArray());
            denseLayers[l].Parameters[^1].Value.CopyFrom(dense[l].Bias.Select(v => v * scale).ToArray());
        }
        return (spec, network);
    }

    private static (double Beta, double Threshold, double Scale, string Name) ReadLif(NirNode node, string name, int size, double? metadataDt, NirDialect reader)
    {
        if (node.Type != "LIF") throw new SpikeSimException($"Node '{name}' is {node.Type}; SpikeSim's convolutional classifiers have LIF layers there.");
        if (node.Fields["tau"].Length != size) throw new SpikeSimException($"Node '{name}' has {node.Fields["tau"].Length} neurons; the layer before it gives {size}.");
        if (NirFields.UniformOr(node, name, "v_leak", 0) != 0) throw new SpikeSimException($"Node '{name}' has a non-zero v_leak, which SpikeSim's trained layers do not have.");
        if (NirFields.UniformOr(node, name, "v_reset", 0) != 0) throw new SpikeSimException($"Node '{name}' field 'v_reset' is not 0; SpikeSim's classifier layers reset to 0.");
        var (beta, scale) = reader.Read((float)NirFields.Uniform(node, name, "tau"), (float)NirFields.Uniform(node, name, "r"), metadataDt, name);
        return (beta, NirFields.Uniform(node, name, "v_threshold") / scale, scale, name);
    }

    private static SpikeReset ReadReset(NirGraph graph)
        => graph.Metadata.TryGetValue("reset", out var stated) && stated == TrainedNir.ResetSubtract ? SpikeReset.Subtract : SpikeReset.ToZero;

    /// <summary>The nodes from the one Input to the one Output, each leading to exactly one next node.</summary>
    private static List<string> Chain(NirGraph graph, Dictionary<string, NirNode> nodes)
    {
        var inputs = graph.Nodes.Where(n => n.Node.Type == "Input").Select(n => n.Name).ToList();
        if (inputs.Count != 1) throw new SpikeSimException($"A classifier needs exactly one Input node; the graph has {inputs.Count}.");
        var chain = new List<string> { inputs[0] };
        while (nodes[chain[^1]].Type != "Output")
        {
            var next = graph.Edges.Where(e => e.Source == chain[^1]).Select(e => e.Target).ToList();
            if (next.Count != 1 || !nodes.ContainsKey(next[0]))
                throw new SpikeSimException($"Node '{chain[^1]}' must lead to exactly one next node in a convolutional classifier.");
            if (chain.Contains(next[0])) throw new SpikeSimException($"The chain comes back to node '{next[0]}'; a convolutional classifier's layers form a chain.");
            chain.Add(next[0]);
        }
        return chain;
    }

    private static long[] Ints(NirNode node, string name, string field)
        => node.Fields.TryGetValue(field, out var a) && a.Ints is { } ints ? ints : throw new SpikeSimException($"Node '{name}' field '{field}' must be integers.");

    /// <summary>A 2-D field (an int or a pair) whose two values are equal, or <paramref name="fallback"/> where it is absent.</summary>
    internal static int Pair(NirNode node, string name, string field, int fallback)
    {
        if (!node.Fields.ContainsKey(field)) return fallback;
        var v = Ints(node, name, field);
        if (v.Length is < 1 or > 2 || v[0] != v[^1] || v[0] < 0 || v[0] > 4096)
            throw new SpikeSimException($"Node '{name}' field '{field}' is [{string.Join(", ", v)}]; SpikeSim's layers take one value for both sides.");
        return (int)v[0];
    }

    private static double Tau(double beta) => -1.0 / Math.Log(beta);
}
