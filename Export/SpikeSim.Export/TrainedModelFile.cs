using Google.Protobuf;
using SpikeSim.Export.Proto;
using SpikeSim.Learning.Grapes;
using SpikeSim.Learning.Layers;
using Conv2d = SpikeSim.Learning.Layers.Convolution.Conv2d;
using Flatten = SpikeSim.Learning.Layers.Convolution.Flatten;
using Pool2d = SpikeSim.Learning.Layers.Convolution.Pool2d;
using SpikeSim.Learning.Layers.Convolution;
using SpikeSim.Learning.Quantisation;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Convolution;
using SpikeSim.Simulator.Errors;

namespace SpikeSim.Export;

/// <summary>
/// A trained classifier (surrogate-gradient BPTT) in the SpikeSim model file, in NIR's terms:
/// <c>input → affine_0 → lif_0 → … → affine_L → readout → output</c> (a recurrent layer adds an Affine cycle
/// <c>lif_k → recurrent_k → lif_k</c>), neurons with their threshold, reset and spike test, the training record,
/// and, where a target was given, every node's values in that target's number formats next to the float ones.
/// Input enters neurons as <see cref="InputConvention.EventsAddToState"/>: v[t] = e^(−dt/τ)·v[t−1] + W·x[t] + b.
/// </summary>
public static class TrainedModelFile
{
    /// <summary>The model file of a trained network; <paramref name="quantised"/> and <paramref name="report"/> add a target's formats.</summary>
    public static ModelFile ToModelFile(CheckpointHeader header, SpikingNetwork network, QuantisedModel? quantised = null, QuantisationReport? report = null)
    {
        var spec = header.Model;
        var file = new ModelFile
        {
            Header = ModelFileCodec.NewHeader(),
            Graph = new Graph(),
            Dt = spec.DtMs,
            DtUnit = "ms",
            InputConvention = InputConvention.EventsAddToState,
            Trained = Record(header, quantised, report),
        };
        var graph = file.Graph;
        var input = new Node { Name = "input", Size = (uint)spec.Inputs, Input = new Proto.Input() };
        input.Input.Shape.Add(spec.Convolution is { } image ? [(uint)image.Channels, (uint)image.Height, (uint)image.Width] : [(uint)spec.Inputs]);
        graph.Nodes.Add(input);
        var previous = "input";
        void Chain(Node node)
        {
            graph.Nodes.Add(node);
            graph.Edges.Add(new Edge { Source = previous, Target = node.Name });
            previous = node.Name;
        }
        var cells = spec.Cells();
        var stage = 0;
        var dense = 0;
        var spiking = 0;
        var weighted = 0;               // the index of the next layer with weights in quantised.Layers
        (Node Node, Conv2d Layer)? convolution = null;  // the convolution whose neurons (after any pooling) come next
        for (var l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
            switch (layer)
            {
                case Conv2d c:
                    convolution = (ConvolutionNode($"conv_{stage}", c), c);
                    Chain(convolution.Value.Node);
                    continue;
                case Pool2d p:
                    Chain(PoolNode($"pool_{stage}", p));
                    continue;
                case SpikingActivation:
                    var cell = SpikingCellNode.For($"{(spec.Cell == HiddenCell.Alif ? "alif" : "lif")}_{stage++}", layer.Outputs, cells[spiking++]);
                    if (quantised is not null && convolution is { } conv)
                    {
                        // The weights in NIR's and PyTorch's [C_out, C_in, k, k], as the node's float weight is laid out.
                        var q = quantised.Layers[weighted++];
                        var g = conv.Layer.Geometry;
                        int[] shape = [g.Output.Channels, g.Input.Channels, g.Kernel, g.Kernel];
                        AddQuantisation(quantised.Target, q with { WeightInt = KernelLayout.ToOihw<int>(q.WeightInt, shape[0], shape[1], g.Kernel) }, shape, conv.Node, cell, readout: false);
                    }
                    convolution = null;
                    Chain(cell);
                    continue;
                case Flatten f:
                    Chain(new Node { Name = "flatten", Size = (uint)f.Outputs, Flatten = new Proto.Flatten { StartDim = 0, EndDim = -1, InputShape = { (uint)f.Input.Channels, (uint)f.Input.Height, (uint)f.Input.Width } } });
                    continue;
            }
            var last = l == network.Layers.Count - 1;
            var affine = new Node { Name = $"affine_{dense}", Size = (uint)layer.Outputs, Affine = new Affine { Weight = Tensors.F32(layer.Parameters[0].Value.ToArray(), layer.Outputs, layer.Inputs), Bias = Tensors.F32(layer.Parameters[^1].Value.ToArray(), layer.Outputs) } };
            var neuronName = last ? "readout" : $"{(spec.Cell == HiddenCell.Alif ? "alif" : "lif")}_{stage + dense}";
            var neuron = last && spec.Readout == ReadoutKind.LeakyIntegrator
                ? NetworkExporter.Neuron(neuronName, layer.Outputs, LeakyReadout.Neuron(spec.TauReadoutMs))
                : SpikingCellNode.For(neuronName, layer.Outputs, cells[spiking]);
            spiking++;
            if (quantised is not null) AddQuantisation(quantised.Target, quantised.Layers[weighted++], [layer.Outputs, layer.Inputs], affine, neuron, last && spec.Readout == ReadoutKind.LeakyIntegrator);
            Chain(affine);
            Chain(neuron);
            if (layer is SpikingRecurrent)
            {
                var recurrent = new Node { Name = $"recurrent_{dense}", Size = (uint)layer.Outputs, Affine = new Affine { Weight = Tensors.F32(layer.Parameters[1].Value.ToArray(), layer.Outputs, layer.Outputs), Bias = Tensors.F32(new float[layer.Outputs], layer.Outputs) } };
                graph.Nodes.Add(recurrent);
                graph.Edges.Add(new Edge { Source = neuron.Name, Target = recurrent.Name });
                graph.Edges.Add(new Edge { Source = recurrent.Name, Target = neuron.Name });
            }
            dense++;
        }
        graph.Nodes.Add(new Node { Name = "output", Size = (uint)spec.Classes, Output = new Proto.Output { Shape = { (uint)spec.Classes } } });
        graph.Edges.Add(new Edge { Source = previous, Target = "output" });
        return file;
    }

    /// <summary>A convolution as a <c>Conv2d</c> node: NIR's and PyTorch's weight layout [C_out, C_in, k, k].</summary>
    private static Node ConvolutionNode(string name, Conv2d c)
    {
        var g = c.Geometry;
        return new Node
        {
            Name = name, Size = (uint)g.Output.Size, Conv2D = new Proto.Conv2d
            {
                Weight = Tensors.F32(c.WeightOihw(), g.Output.Channels, g.Input.Channels, g.Kernel, g.Kernel),
                Bias = Tensors.F32(c.Parameters[1].Value.ToArray(), g.Output.Channels),
                Stride = (uint)g.Stride, Padding = (uint)g.Padding, InputShape = { (uint)g.Input.Channels, (uint)g.Input.Height, (uint)g.Input.Width },
            },
        };
    }

    private static Node PoolNode(string name, Pool2d p) => new()
    {
        Name = name, Size = (uint)p.Geometry.Output.Size, Pool2D = new Proto.Pool2d
        {
            Function = p.Kind switch { PoolKind.Max => PoolFunction.PoolMax, PoolKind.Average => PoolFunction.PoolAverage, _ => PoolFunction.PoolSum },
            KernelSize = (uint)p.Geometry.Size, Stride = (uint)p.Geometry.Stride,
            InputShape = { (uint)p.Geometry.Input.Channels, (uint)p.Geometry.Input.Height, (uint)p.Geometry.Input.Width },
        },
    };

    /// <summary>Whether a parsed model file holds a trained classifier.</summary>
    public static bool IsTrained(ModelFile file) => file.Trained is not null;

    /// <summary>Rebuilds the classifier a model file describes, with its trained (float) values, on <paramref name="backend"/>.</summary>
    public static (SnnModelSpec Spec, SpikingNetwork Network, TrainedClassifier Record) Read(ModelFile file, IComputeBackend backend)
    {
        try
        {
            return Build(file, backend);
        }
        catch (SpikeSimException)
        {
            throw;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IndexOutOfRangeException or OverflowException or KeyNotFoundException)
        {
            throw new SpikeSimException($"The trained classifier in the model file is inconsistent: {e.Message}", e);
        }
    }

    private static (SnnModelSpec Spec, SpikingNetwork Network, TrainedClassifier Record) Build(ModelFile file, IComputeBackend backend)
    {
        ModelFileChecks.Header(file);
        var record = file.Trained ?? throw new SpikeSimException("This model file holds no trained classifier.");
        var graph = file.Graph ?? throw new SpikeSimException("The model file has no graph.");
        ModelFileChecks.NamesAndEdges(graph);
        var nodes = graph.Nodes.ToDictionary(n => n.Name);
        Node Get(string name, Node.KindOneofCase kind) => nodes.TryGetValue(name, out var n) && n.KindCase == kind
            ? n : throw new SpikeSimException($"A trained classifier needs a {kind} node named '{name}'.");
        var input = Get("input", Node.KindOneofCase.Input);
        var affines = new List<Node>();
        var neurons = new List<Node>();
        var recurrent = new List<Node?>();
        var current = "input";
        var visited = new HashSet<string> { current };
        Node Next(string from)
        {
            var next = graph.Edges.Where(e => e.Source == from && !e.Target.StartsWith("recurrent_", StringComparison.Ordinal)).Select(e => e.Target).ToList();
            return next.Count == 1 && nodes.TryGetValue(next[0], out var node) ? node
                : throw new SpikeSimException($"Node '{from}' must lead to exactly one next node in a trained classifier.");
        }
        void Visit(Node node)
        {
            if (!visited.Add(node.Name))
                throw new SpikeSimException($"The chain from 'input' to 'output' comes back to node '{node.Name}'; a trained classifier's layers form no cycle.");
        }
        // A convolutional front end: stages of Conv2d, an optional Pool2d and a spiking node, then a Flatten.
        var stages = new List<(Node Conv, Node? Pool, Node Neuron)>();
        for (var node = Next(current); node.KindCase == Node.KindOneofCase.Conv2D; node = Next(current))
        {
            Visit(node);
            var after = Next(node.Name);
            var pool = after.KindCase == Node.KindOneofCase.Pool2D ? after : null;
            if (pool is not null) Visit(pool);
            var neuron = pool is null ? after : Next(pool.Name);
            Visit(neuron);
            stages.Add((node, pool, neuron));
            current = neuron.Name;
        }
        if (stages.Count > 0)
        {
            var flatten = Next(current);
            if (flatten.KindCase != Node.KindOneofCase.Flatten) throw new SpikeSimException($"Node '{flatten.Name}' follows the convolutional stages; a trained classifier has a Flatten there.");
            Visit(flatten);
            current = flatten.Name;
        }
        while (true)
        {
            var next = graph.Edges.Where(e => e.Source == current && !e.Target.StartsWith("recurrent_", StringComparison.Ordinal)).Select(e => e.Target).ToList();
            if (next.Count != 1) throw new SpikeSimException($"Node '{current}' must lead to exactly one next node in a trained classifier.");
            if (next[0] == "output") break;
            var affine = Get(next[0], Node.KindOneofCase.Affine);
            var after = graph.Edges.Where(e => e.Source == affine.Name).Select(e => e.Target).ToList();
            if (after.Count != 1 || !nodes.TryGetValue(after[0], out var neuron)) throw new SpikeSimException($"Affine node '{affine.Name}' must lead to one neuron node.");
            foreach (var name in new[] { affine.Name, neuron.Name })
                if (!visited.Add(name))
                    throw new SpikeSimException($"The chain from 'input' to 'output' comes back to node '{name}'; a trained classifier's layers form no cycle.");
            affines.Add(affine);
            neurons.Add(neuron);
            recurrent.Add(nodes.GetValueOrDefault($"recurrent_{neurons.Count - 1}"));
            current = neuron.Name;
        }
        if (neurons.Count + stages.Count < 2) throw new SpikeSimException("A trained classifier needs at least one hidden layer and a readout.");
        var spec = Spec(file, record, input, stages, neurons, recurrent.Any(r => r is not null));
        // Sizes must agree with the tensors the file actually holds before anything is allocated.
        var geometries = spec.Convolution?.Geometries() ?? [];
        for (var k = 0; k < stages.Count; k++)
        {
            var (conv, _, neuron) = stages[k];
            var g = geometries[k].Conv;
            var shape = conv.Conv2D.Weight?.Shape;
            if (shape is not { Count: 4 } || shape[1] != g.Input.Channels || conv.Conv2D.Weight!.F32.Count != (long)shape[0] * shape[1] * shape[2] * shape[3]
                || !conv.Conv2D.InputShape.SequenceEqual([(uint)g.Input.Channels, (uint)g.Input.Height, (uint)g.Input.Width]))
                throw new SpikeSimException($"Conv2d node '{conv.Name}' must take {g.Input} images with a [{g.Output.Channels}, {g.Input.Channels}, {g.Kernel}, {g.Kernel}] weight.");
            if (neuron.Size != (geometries[k].Pool?.Output ?? g.Output).Size)
                throw new SpikeSimException($"Node '{neuron.Name}' has {neuron.Size} neurons; the stage before it gives {(geometries[k].Pool?.Output ?? g.Output).Size}.");
        }
        var width = spec.Convolution?.Output.Size ?? spec.Inputs;
        for (var l = 0; l < affines.Count; l++)
        {
            var shape = affines[l].Affine?.Weight?.Shape;
            if (shape is not { Count: 2 } || shape[0] != neurons[l].Size || shape[1] != width || affines[l].Affine.Weight.F32.Count != (long)shape[0] * shape[1])
                throw new SpikeSimException($"Affine node '{affines[l].Name}' must hold a [{neurons[l].Size}, {width}] weight.");
            width = (int)neurons[l].Size;
        }
        var network = spec.Build(backend, seed: 0);
        var convolutions = network.Layers.OfType<Conv2d>().ToList();
        for (var k = 0; k < convolutions.Count; k++)
        {
            var (conv, _, _) = stages[k];
            var g = convolutions[k].Geometry;
            convolutions[k].SetWeightOihw(Tensors.Floats(conv.Conv2D.Weight, conv.Name, g.Output.Channels * g.Columns));
            convolutions[k].Parameters[1].Value.CopyFrom(Tensors.Floats(conv.Conv2D.Bias, conv.Name, g.Output.Channels));
        }
        var denseLayers = network.Layers.Where(l => l is not (Conv2d or Pool2d or SpikingActivation or Flatten)).ToList();
        for (var l = 0; l < denseLayers.Count; l++)
        {
            var layer = denseLayers[l];
            var parameters = layer.Parameters;
            parameters[0].Value.CopyFrom(Tensors.Floats(affines[l].Affine.Weight, affines[l].Name, layer.Outputs * layer.Inputs));
            parameters[^1].Value.CopyFrom(Tensors.Floats(affines[l].Affine.Bias, affines[l].Name, layer.Outputs));
            if (layer is SpikingRecurrent)
            {
                var r = recurrent[l] ?? throw new SpikeSimException($"Recurrent layer {l} has no 'recurrent_{l}' Affine node.");
                parameters[1].Value.CopyFrom(Tensors.Floats(r.Affine.Weight, r.Name, layer.Outputs * layer.Outputs));
            }
        }
        return (spec, network, record);
    }

    private static SnnModelSpec Spec(ModelFile file, TrainedClassifier record, Node input, List<(Node Conv, Node? Pool, Node Neuron)> stages,
        List<Node> neurons, bool recurrent)
    {
        foreach (var neuron in neurons.Concat(stages.Select(s => s.Neuron))) SpikingCellNode.Validate(neuron);
        var dense = neurons.Take(neurons.Count - 1).ToList();
        var hidden = stages.Select(s => s.Neuron).Concat(dense).ToList();
        var first = hidden[0];
        if (hidden.Any(n => n.KindCase != first.KindCase || !With(n, first.Name, first.Size).Equals(With(first, first.Name, first.Size))))
            throw new SpikeSimException("The hidden layers differ in their neuron parameters; SpikeSim's classifier has one hidden cell for all of them.");
        var (tau, spiking, cell, tauAdapt, b) = first.KindCase switch
        {
            Node.KindOneofCase.Lif => (first.Lif.TauMs, first.Lif.Spiking, HiddenCell.Lif, 200.0, 1.8),
            Node.KindOneofCase.Alif => (first.Alif.TauMs, first.Alif.Spiking, HiddenCell.Alif, first.Alif.TauAdaptMs, first.Alif.Beta),
            _ => throw new SpikeSimException($"Hidden node '{first.Name}' is {first.KindCase}; a trained classifier's hidden layers are LIF or ALIF."),
        };
        if (spiking is null) throw new SpikeSimException($"Node '{first.Name}' has no threshold and reset.");
        var readout = neurons[^1];
        var (readoutKind, tauReadout) = readout.KindCase switch
        {
            Node.KindOneofCase.Li => (ReadoutKind.LeakyIntegrator, readout.Li.TauMs),
            Node.KindOneofCase.Lif => (ReadoutKind.Spiking, readout.Lif.TauMs),
            _ => throw new SpikeSimException($"The readout '{readout.Name}' is {readout.KindCase}; it must be LI or LIF."),
        };
        var shape = input.Input.Shape;
        ConvolutionSpec? convolution = null;
        if (stages.Count > 0)
            convolution = shape.Count == 3 ? new ConvolutionSpec((int)shape[0], (int)shape[1], (int)shape[2], [.. stages.Select(Stage)])
                : throw new SpikeSimException("The input node of a convolutional classifier must have the shape [C, H, W].");
        else if (shape.Count != 1) throw new SpikeSimException("The input node's shape must have one dimension.");
        var inputs = (int)shape.Aggregate(1L, (product, d) => product * d);
        return new SnnModelSpec(inputs, dense.Select(n => (int)n.Size).ToArray(), (int)readout.Size, cell, recurrent, readoutKind,
            tau, tauReadout, tauAdapt, b, spiking.VThreshold, file.Dt, SurrogateIn(record), record.SurrogateSlope,
            Reset: SpikingCellNode.ResetOf(spiking), Convolution: convolution);
    }

    /// <summary>A stage's convolution and pooling as SpikeSim trains them: pooling windows as wide as their stride.</summary>
    private static ConvStage Stage((Node Conv, Node? Pool, Node Neuron) stage)
    {
        var (conv, pool, _) = stage;
        var weight = conv.Conv2D.Weight?.Shape;
        if (weight is not { Count: 4 } || weight[2] != weight[3]) throw new SpikeSimException($"Conv2d node '{conv.Name}' must hold a [C_out, C_in, k, k] weight.");
        if (pool is null) return new ConvStage((int)weight[0], (int)weight[2], (int)conv.Conv2D.Stride, (int)conv.Conv2D.Padding, PoolKind.Max, 1);
        var p = pool.Pool2D;
        if (p.KernelSize != p.Stride) throw new SpikeSimException($"Pool2d node '{pool.Name}' has a {p.KernelSize}-pixel window with stride {p.Stride}; SpikeSim's stages pool with window = stride.");
        var kind = p.Function switch
        {
            PoolFunction.PoolMax => PoolKind.Max,
            PoolFunction.PoolAverage => PoolKind.Average,
            PoolFunction.PoolSum => PoolKind.Sum,
            _ => throw new SpikeSimException($"Pool2d node '{pool.Name}' does not say what its window computes (function {p.Function})."),
        };
        return new ConvStage((int)weight[0], (int)weight[2], (int)conv.Conv2D.Stride, (int)conv.Conv2D.Padding, kind, (int)p.KernelSize);
    }

    private static Learning.Surrogates.SurrogateKind SurrogateIn(TrainedClassifier record)
    {
        try
        {
            return OptionName.Parse<Learning.Surrogates.SurrogateKind>(record.Surrogate, "surrogate");
        }
        catch (ArgumentException e)
        {
            throw new SpikeSimException($"The trained classifier's record: {e.Message}");
        }
    }

    private static Node With(Node node, string name, uint size)
    {
        var copy = node.Clone();
        copy.Name = name;
        copy.Size = size;
        copy.Quantisation = null;
        return copy;
    }

    /// <summary>
    /// A target's formats on a layer's weight node (<c>Affine</c> or <c>Conv2d</c>, its integer weights shaped as the
    /// node's float weight: <paramref name="shape"/>) and on the neurons it feeds.
    /// </summary>
    private static void AddQuantisation(QuantisationTarget target, QuantisedLayer q, int[] shape, Node weights, Node neuron, bool readout)
    {
        var rows = shape[0];
        switch (target)
        {
            case QuantisationTarget.Loihi2:
                weights.Quantisation = new Quantisation { Loihi2 = new Loihi2Quantisation { WeightMantissa = Tensors.I32(q.WeightInt, shape), WeightExponent = q.WeightExponent, NumWeightBits = 8, SignMode = SignMode.Mixed, BiasMantissa = Tensors.I32(q.BiasInt, rows), BiasExponent = q.BiasExponent, UnitsPerFloat = q.UnitsPerFloat } };
                neuron.Quantisation = new Quantisation { Loihi2 = new Loihi2Quantisation { Du = 4095, Dv = (uint)q.Decay, VthMantissa = readout ? 0 : (uint)q.ThresholdInt, UnitsPerFloat = q.UnitsPerFloat } };
                break;
            case QuantisationTarget.Xylo:
                weights.Quantisation = new Quantisation { Xylo = new XyloQuantisation { Weight = Tensors.I32(q.WeightInt, shape), WeightShift = q.WeightExponent, Bias = Tensors.I32(q.BiasInt, rows), UnitsPerFloat = q.UnitsPerFloat } };
                neuron.Quantisation = new Quantisation { Xylo = new XyloQuantisation { DashMem = (uint)q.Decay, Threshold = q.ThresholdInt, UnitsPerFloat = q.UnitsPerFloat } };
                break;
            default:
                weights.Quantisation = new Quantisation { IntN = new IntNQuantisation { Bits = 8, UnitsPerFloat = q.UnitsPerFloat, Weight = Tensors.I32(q.WeightInt, shape), Bias = Tensors.I32(q.BiasInt, rows) } };
                neuron.Quantisation = new Quantisation { IntN = new IntNQuantisation { Bits = 8, UnitsPerFloat = q.UnitsPerFloat, Threshold = q.ThresholdInt } };
                break;
        }
    }

    private static TrainedClassifier Record(CheckpointHeader header, QuantisedModel? quantised, QuantisationReport? report)
    {
        var o = header.Options;
        var record = new TrainedClassifier
        {
            Task = OptionName.Of(header.Task), Steps = (uint)o.Steps, Encoder = OptionName.Of(o.Encoder), Loss = OptionName.Of(o.Loss), Surrogate = OptionName.Of(header.Model.Surrogate),
            SurrogateSlope = header.Model.SurrogateSlope, Optimizer = OptionName.Of(o.Optimizer), LearningRate = o.Settings.LearningRate,
            Epochs = (uint)header.EpochsDone, Seed = (uint)o.Seed, TestAccuracy = header.History.Count > 0 ? header.History[^1].TestAccuracy : 0,
        };
        if (o.Grapes is { } g)
            record.Grapes = new GrapesRule
            {
                Variant = g.Variant == Learning.Grapes.GrapesVariant.Local ? Proto.GrapesVariant.GrapesLocal : Proto.GrapesVariant.GrapesPropagating,
                Importance = g.Importance == ImportanceSource.Incoming ? GrapesImportance.Incoming : GrapesImportance.Outgoing,
            };
        if (quantised is not null) record.QuantisationTarget = OptionName.Of(quantised.Target);
        if (report is not null)
        {
            record.QuantisedTestAccuracy = report.QuantisedAccuracy;
            record.SpikeAgreement = report.SpikeAgreement;
        }
        return record;
    }

    /// <summary>Parses bytes as a model file and checks their checksum (one clear error where they are not one or are damaged).</summary>
    public static ModelFile Parse(byte[] bytes) => ModelFileCodec.Decode(bytes);
}
