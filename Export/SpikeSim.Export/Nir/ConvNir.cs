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
/// A trained convolutional classifier as a NIR graph (<see cref="NirChain"/> reads it back, <see cref="TrainedNir.ToNetwork"/> into a trainable network):
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
                        ("dilation", NirArray.I64(1, 1)), ("groups", NirArray.Scalar(1)), ("input_shape", NirArray.I64(g.Input.Height, g.Input.Width))));
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
                    // start_dim 0 of the (C, H, W) image, not counting a batch dimension, as NIR and snnTorch's export_to_nir mean it.
                    Add("flatten", NirNode.Of("Flatten", ("start_dim", NirArray.Scalar(0)), ("end_dim", NirArray.Scalar(-1)),
                        ("input_type", NirArray.I64(f.Input.Channels, f.Input.Height, f.Input.Width))));
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

    private static long[] Ints(NirNode node, string name, string field)
        => node.Fields.TryGetValue(field, out var a) && a.Ints is { } ints ? ints : throw new SpikeSimException($"Node '{name}' field '{field}' must be integers.");

    /// <summary>A 2-D field (an int or a pair) whose two values are equal, or <paramref name="fallback"/> where it is absent.</summary>
    /// <summary>
    /// A Conv1d's or Conv2d's per-axis field as (y, x): one value for both axes or a pair (Conv2d), one value along
    /// the signal (Conv1d: x, y = <paramref name="fallback"/>), or <paramref name="fallback"/> for both where absent.
    /// </summary>
    internal static (int Y, int X) Axes(NirNode node, string name, string field, int fallback, bool oneD)
    {
        if (!node.Fields.ContainsKey(field)) return (fallback, fallback);
        var v = Ints(node, name, field);
        if (v.Length is < 1 or > 2 || (oneD && v.Length != 1) || v.Any(d => d < 0 || d > 4096))
            throw new SpikeSimException($"Node '{name}' field '{field}' is [{string.Join(", ", v)}]; it holds {(oneD ? "one value" : "one or two values")} between 0 and 4096.");
        return oneD ? (fallback, (int)v[0]) : ((int)v[0], (int)v[^1]);
    }

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
