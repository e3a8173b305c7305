using SpikeSim.Export.Codecs;
using System.Globalization;
using SpikeSim.Learning.Encoders;
using SpikeSim.Learning.Layers;
using SpikeSim.Learning.Layers.Convolution;
using SpikeSim.Learning.Losses;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Convolution;
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
        if (spec.Convolution is not null) return ConvNir.FromNetwork(spec, run, network, dialect);
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
                ("weight", NirArray.F32(NirChain.Scaled(layer.Parameters[0].Value.ToArray(), fields.InputScale), layer.Outputs, layer.Inputs)),
                ("bias", NirArray.F32(NirChain.Scaled(layer.Parameters[^1].Value.ToArray(), fields.InputScale))))));
            var (tau, r, zeros) = (NirFields.Fill(layer.Outputs, fields.Tau), NirFields.Fill(layer.Outputs, fields.R), NirFields.Fill(layer.Outputs, 0));
            graph.Nodes.Add((name, leaky
                ? NirNode.Of("LI", ("tau", tau), ("r", r), ("v_leak", zeros))
                : NirNode.Of("LIF", ("tau", tau), ("r", r), ("v_leak", zeros), ("v_threshold", NirFields.Fill(layer.Outputs, cells[l].VThreshold)), ("v_reset", zeros))));
            graph.Edges.Add((previous, affine));
            graph.Edges.Add((affine, name));
            if (layer is SpikingRecurrent)
            {
                graph.Nodes.Add(($"recurrent_{l}", NirNode.Of("Linear",
                    ("weight", NirArray.F32(NirChain.Scaled(layer.Parameters[1].Value.ToArray(), fields.InputScale), layer.Outputs, layer.Outputs)))));
                graph.Edges.Add((name, $"recurrent_{l}"));
                graph.Edges.Add(($"recurrent_{l}", name));
            }
            previous = name;
        }
        graph.Nodes.Add(("output", NirNode.Of("Output", ("shape", NirArray.I64(spec.Classes)))));
        graph.Edges.Add((previous, "output"));
        DescribeRun(graph.Metadata, spec, run, dialect);
        return graph;
    }

    /// <summary>The metadata of a classifier's graph: who wrote it, for whom, dt, discretisation, reset, spike test and how it is run.</summary>
    internal static void DescribeRun(Dictionary<string, string> m, SnnModelSpec spec, ClassifierRun run, NirDialect dialect)
    {
        m["producer"] = "SpikeSim";
        m["nir_for"] = dialect.Name;
        m["dt"] = dialect.DtSeconds(spec).ToString("R", CultureInfo.InvariantCulture);
        m["discretisation"] = dialect.Discretisation;
        m["reset"] = spec.Reset == ResetMode.ZeroAtNextStep ? ResetToZero : ResetSubtract;
        m["spike_test"] = "v > v_threshold";
        m["recurrent_edges"] = "carry the previous step's spikes";
        m["task"] = OptionName.Of(run.Task);
        m["steps"] = run.Steps.ToString(CultureInfo.InvariantCulture);
        m["encoder"] = OptionName.Of(run.Encoder);
        m["readout"] = OptionName.Of(run.Loss);
        m["seed"] = run.Seed.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The metadata <c>reset</c> of a layer that resets to zero: NIR's own reset to v_reset = 0. SpikeSim zeroes the decayed
    /// term at the next step, u[t] = β·u[t−1]·(1 − s[t−1]) + h[t], which gives the same spikes as zeroing v at once.
    /// </summary>
    public const string ResetToZero = "to v_reset";

    /// <summary>The metadata <c>reset</c> of SpikeSim's subtraction of θ at the next step, undecayed, which NIR cannot express.</summary>
    public const string ResetSubtract = "subtract v_threshold";

    /// <summary>
    /// Builds a trainable classifier from a NIR chain of the shape <c>FromNetwork</c> writes (Linear allowed for Affine):
    /// optional convolutional stages (<c>Conv2d → [AvgPool2d|SumPool2d] → LIF</c>, pooling windows as wide as their
    /// stride), a Flatten, dense LIF layers (a recurrent one as a Linear cycle) and an LI or LIF readout, one LIF cell
    /// for every spiking layer. The chain is read by <see cref="NirChain.Read"/>, as <c>spikesim run</c> reads it; what
    /// SpikeSim's trained layers do not have is refused naming the node.
    /// </summary>
    /// <param name="graph">The graph.</param>
    /// <param name="backend">Where the network is built.</param>
    /// <param name="reader">Whose semantics to read it with (<see cref="NirDialect.Read"/>); null: the generic ones, from the file's metadata.</param>
    public static (SnnModelSpec Spec, SpikingNetwork Network) ToNetwork(NirGraph graph, IComputeBackend backend, NirDialect? reader = null)
    {
        var chain = NirChain.Read(graph, reader ?? NirDialect.Generic);
        var stages = chain.Stages ?? [];
        if (chain.Layers.Count < 1 || (stages.Count == 0 && chain.Layers.Count < 2))
            throw new SpikeSimException("A classifier needs at least one hidden layer and a readout.");
        if (chain.Layers.FirstOrDefault(l => l.DelaySteps > 0) is { } delayed)
            throw new SpikeSimException($"Node '{delayed.Affine}' reads its input through a Delay, which SpikeSim's trained layers do not have (spikesim run evaluates the chain as it is).");
        if (chain.Layers.FirstOrDefault(l => l.Cell.Leak != 0 || l.Cell.SynapseLeak != 0) is { } leaky)
            throw new SpikeSimException($"Node '{leaky.Neuron}' has a non-zero v_leak, which SpikeSim's trained layers do not have (spikesim run evaluates the chain as it is).");
        if (stages.FirstOrDefault(s => s.Cell.Leak != 0) is { } leakyStage)
            throw new SpikeSimException($"Node '{leakyStage.Neuron}' has a non-zero v_leak, which SpikeSim's trained layers do not have (spikesim run evaluates the chain as it is).");
        if (stages.FirstOrDefault(s => s.Pooling is { } p && p.Geometry.Stride != p.Geometry.Size) is { } overlapping)
            throw new SpikeSimException($"The pooling after node '{overlapping.Conv}' has a stride other than its window; SpikeSim's stages pool non-overlapping windows (spikesim run evaluates the chain as it is).");
        var hidden = chain.Layers.Take(chain.Layers.Count - 1).ToList();
        var readout = chain.Layers[^1];
        var spiking = stages.Select(s => (s.Neuron, s.Cell)).Concat(hidden.Select(l => (l.Neuron, l.Cell))).ToList();
        foreach (var (name, cell) in spiking)
            if (cell is not NirLifCell { Type: "LIF" }) throw new SpikeSimException($"Node '{name}' is {cell.Name}; SpikeSim trains LIF hidden layers (spikesim run evaluates the chain as it is).");
        var cells = spiking.Select(c => (NirLifCell)c.Cell).ToList();
        if (cells.Select(c => (c.Beta, c.Threshold)).Distinct().Count() > 1)
            throw new SpikeSimException("The hidden layers differ in tau or threshold; SpikeSim's classifier has one hidden cell for all of them.");
        var lif = cells.Count > 0 ? cells[0] : throw new SpikeSimException("A classifier needs at least one hidden layer and a readout.");
        var (readoutKind, readoutBeta) = readout.Cell switch
        {
            NirLiCell { Type: "LI" } li => (ReadoutKind.LeakyIntegrator, li.Beta),
            NirLifCell { Type: "LIF" } r when r.Threshold == lif.Threshold => (ReadoutKind.Spiking, r.Beta),
            NirLifCell { Type: "LIF" } => throw new SpikeSimException($"Node '{readout.Neuron}' has a threshold other than the hidden layers'; SpikeSim's classifier has one threshold."),
            _ => throw new SpikeSimException($"Node '{readout.Neuron}' is {readout.Cell.Name}; SpikeSim trains LI or LIF readouts (spikesim run evaluates the chain as it is)."),
        };
        ConvolutionSpec? convolution = null;
        if (stages.Count > 0)
        {
            var image = stages[0].Geometry.Input;
            if (image.Channels != 1)
                throw new SpikeSimException($"Node '{stages[0].Conv}' reads {image} images; SpikeSim trains on one-channel images (spikesim run evaluates the chain as it is).");
            if (stages.FirstOrDefault(s => !s.Geometry.IsSquare) is { } rectangular)
                throw new SpikeSimException($"Node '{rectangular.Conv}' has a {rectangular.Geometry.KernelText} kernel; SpikeSim trains square kernels with one stride and padding (spikesim run evaluates the chain as it is).");
            convolution = new ConvolutionSpec(image.Channels, image.Height, image.Width, [.. stages.Select(s => new ConvStage(s.Geometry.Output.Channels, s.Geometry.Kernel,
                s.Geometry.Stride, s.Geometry.Padding, s.Pooling?.Kind ?? PoolKind.Max, s.Pooling?.Geometry.Size ?? 1))]);
        }
        var spec = new SnnModelSpec(chain.Inputs, [.. hidden.Select(l => l.Outputs)], readout.Outputs, HiddenCell.Lif, chain.Layers.Any(l => l.RecurrentWeight is not null),
            readoutKind, TauMemMs: Tau(lif.Beta), TauReadoutMs: Tau(readoutBeta), VThreshold: lif.Threshold, DtMs: 1.0, Reset: chain.Reset, Convolution: convolution);
        var network = spec.Build(backend, seed: 0);
        // Stage weights are channels-last [C_out, k, k, C_in], as SpikeSim's Conv2d holds them.
        var convolutions = network.Layers.OfType<Conv2d>().ToList();
        for (var k = 0; k < stages.Count; k++)
        {
            convolutions[k].Parameters[0].Value.CopyFrom(stages[k].Weight);
            convolutions[k].Parameters[1].Value.CopyFrom(stages[k].Bias);
        }
        var dense = network.Layers.Where(l => l is not (Conv2d or Pool2d or SpikingActivation or Flatten)).ToList();
        for (var l = 0; l < chain.Layers.Count; l++)
        {
            var (layer, read) = (dense[l], chain.Layers[l]);
            layer.Parameters[0].Value.CopyFrom(read.Weight);
            if (read.RecurrentWeight is { } recurrent) layer.Parameters[1].Value.CopyFrom(recurrent);
            layer.Parameters[^1].Value.CopyFrom(read.Bias);
        }
        return (spec, network);
    }

    private static double Tau(float beta) => -1.0 / Math.Log(beta);
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
