using Google.Protobuf;
using SpikeSim.Export.Proto;
using SpikeSim.Learning.Grapes;
using SpikeSim.Learning.Layers;
using SpikeSim.Learning.Quantisation;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Errors;
using SpikeReset = SpikeSim.Simulator.Neurons.SpikeReset;

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
        spec.RequireDense("The SpikeSim model file (write a convolutional network with --format nir)");
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
        graph.Nodes.Add(new Node { Name = "input", Size = (uint)spec.Inputs, Input = new Proto.Input { Shape = { (uint)spec.Inputs } } });
        var previous = "input";
        var cells = spec.Cells();
        for (var l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
            var last = l == network.Layers.Count - 1;
            var affine = new Node { Name = $"affine_{l}", Size = (uint)layer.Outputs, Affine = new Affine { Weight = Tensors.F32(layer.Parameters[0].Value.ToArray(), layer.Outputs, layer.Inputs), Bias = Tensors.F32(layer.Parameters[^1].Value.ToArray(), layer.Outputs) } };
            var neuronName = last ? "readout" : $"{(spec.Cell == HiddenCell.Alif ? "alif" : "lif")}_{l}";
            var neuron = last && spec.Readout == ReadoutKind.LeakyIntegrator
                ? new Node { Name = neuronName, Size = (uint)layer.Outputs, Li = new Proto.LI { TauMs = spec.TauReadoutMs, R = 1, Integrator = Integrator.ExactExponential } }
                : SpikingCellNode.For(neuronName, layer.Outputs, cells[l]);
            if (quantised is not null) AddQuantisation(quantised.Target, quantised.Layers[l], affine, neuron, last && spec.Readout == ReadoutKind.LeakyIntegrator);
            graph.Nodes.Add(affine);
            graph.Nodes.Add(neuron);
            graph.Edges.Add(new Edge { Source = previous, Target = affine.Name });
            graph.Edges.Add(new Edge { Source = affine.Name, Target = neuron.Name });
            if (layer is SpikingRecurrent)
            {
                var recurrent = new Node { Name = $"recurrent_{l}", Size = (uint)layer.Outputs, Affine = new Affine { Weight = Tensors.F32(layer.Parameters[1].Value.ToArray(), layer.Outputs, layer.Outputs), Bias = Tensors.F32(new float[layer.Outputs], layer.Outputs) } };
                graph.Nodes.Add(recurrent);
                graph.Edges.Add(new Edge { Source = neuron.Name, Target = recurrent.Name });
                graph.Edges.Add(new Edge { Source = recurrent.Name, Target = neuron.Name });
            }
            previous = neuron.Name;
        }
        graph.Nodes.Add(new Node { Name = "output", Size = (uint)spec.Classes, Output = new Proto.Output { Shape = { (uint)spec.Classes } } });
        graph.Edges.Add(new Edge { Source = previous, Target = "output" });
        return file;
    }

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
        if (neurons.Count < 2) throw new SpikeSimException("A trained classifier needs at least one hidden layer and a readout.");
        var spec = Spec(file, record, input, neurons, recurrent.Any(r => r is not null));
        // Sizes must agree with the tensors the file actually holds before anything is allocated.
        var width = spec.Inputs;
        for (var l = 0; l < affines.Count; l++)
        {
            var shape = affines[l].Affine?.Weight?.Shape;
            if (shape is not { Count: 2 } || shape[0] != neurons[l].Size || shape[1] != width || affines[l].Affine.Weight.F32.Count != (long)shape[0] * shape[1])
                throw new SpikeSimException($"Affine node '{affines[l].Name}' must hold a [{neurons[l].Size}, {width}] weight.");
            width = (int)neurons[l].Size;
        }
        var network = spec.Build(backend, seed: 0);
        for (var l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
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

    private static SnnModelSpec Spec(ModelFile file, TrainedClassifier record, Node input, List<Node> neurons, bool recurrent)
    {
        foreach (var neuron in neurons) SpikingCellNode.Validate(neuron);
        var hidden = neurons.Take(neurons.Count - 1).ToList();
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
        var inputs = input.Input.Shape.Count == 1 ? (int)input.Input.Shape[0] : throw new SpikeSimException("The input node's shape must have one dimension.");
        return new SnnModelSpec(inputs, hidden.Select(n => (int)n.Size).ToArray(), (int)readout.Size, cell, recurrent, readoutKind,
            tau, tauReadout, tauAdapt, b, spiking.VThreshold, file.Dt, SurrogateIn(record), record.SurrogateSlope,
            Reset: SpikingCellNode.ResetOf(spiking));
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

    private static void AddQuantisation(QuantisationTarget target, QuantisedLayer q, Node affine, Node neuron, bool readout)
    {
        int rows = (int)affine.Size, cols = q.WeightInt.Length / Math.Max(rows, 1);
        switch (target)
        {
            case QuantisationTarget.Loihi2:
                affine.Quantisation = new Quantisation { Loihi2 = new Loihi2Quantisation { WeightMantissa = Tensors.I32(q.WeightInt, rows, cols), WeightExponent = q.WeightExponent, NumWeightBits = 8, SignMode = SignMode.Mixed, BiasMantissa = Tensors.I32(q.BiasInt, rows), BiasExponent = q.BiasExponent, UnitsPerFloat = q.UnitsPerFloat } };
                neuron.Quantisation = new Quantisation { Loihi2 = new Loihi2Quantisation { Du = 4095, Dv = (uint)q.Decay, VthMantissa = readout ? 0 : (uint)q.ThresholdInt, UnitsPerFloat = q.UnitsPerFloat } };
                break;
            case QuantisationTarget.Xylo:
                affine.Quantisation = new Quantisation { Xylo = new XyloQuantisation { Weight = Tensors.I32(q.WeightInt, rows, cols), WeightShift = q.WeightExponent, Bias = Tensors.I32(q.BiasInt, rows), UnitsPerFloat = q.UnitsPerFloat } };
                neuron.Quantisation = new Quantisation { Xylo = new XyloQuantisation { DashMem = (uint)q.Decay, Threshold = q.ThresholdInt, UnitsPerFloat = q.UnitsPerFloat } };
                break;
            default:
                affine.Quantisation = new Quantisation { IntN = new IntNQuantisation { Bits = 8, UnitsPerFloat = q.UnitsPerFloat, Weight = Tensors.I32(q.WeightInt, rows, cols), Bias = Tensors.I32(q.BiasInt, rows) } };
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
