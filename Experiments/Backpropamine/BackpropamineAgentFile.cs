using SpikeSim.Export.Proto;
using FileVariant = SpikeSim.Export.Proto.BackpropamineVariant;
using SpikeSim.Learning.Plasticity;
using SpikeSim.Learning.Layers;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Errors;
using NeuronReset = SpikeSim.Simulator.Neurons.ResetMode;

namespace SpikeSim.Export;

/// <summary>
/// A spiking Backpropamine agent (<see cref="SpikingPlasticRnn"/>) in the model file, its plasticity rule included.
/// One task step is one dt (1 ms):
/// <code>
/// input [I] → affine_in (Affine: W_in, b) → lif_h (LIF: τ_mem, θ, reset by subtraction)
/// lif_h → trace_step (Scale: 1 − λ, or 1) → trace (LI: τ_trace)          z(t) = λ·z(t−1) + step·s(t)
/// trace → recurrent (Affine: W; BackpropamineRule: α, η or the modulator) → lif_h     (W + α ⊙ P)·z(t−1)
/// trace → readout (Affine: policy logits, value) → output [actions + 1]
/// </code>
/// P is zero at the start of every episode; the modulator's readout row lives in the rule
/// (modulator_weight, modulator_bias). The non-plastic variant has no rule.
/// </summary>
public static class BackpropamineAgentFile
{
    private const string Input = "input", AffineIn = "affine_in", Neurons = "lif_h", TraceStepNode = "trace_step", Trace = "trace",
        Recurrent = "recurrent", Readout = "readout", Output = "output";

    private const double DtMs = 1.0;

    /// <summary>The model file of <paramref name="network"/> with the training record <paramref name="record"/> (copied).</summary>
    public static ModelFile ToModelFile(SpikingPlasticRnn network, TrainedAgent record)
    {
        if (string.IsNullOrEmpty(record.Task)) throw new ArgumentException("The training record must name its task.", nameof(record));
        var v = network.Values();
        var s = network.Settings;
        int n = network.Hidden, inputs = network.Inputs, actions = network.Actions, kept = actions + 1;
        var file = new ModelFile
        {
            Header = ModelFileCodec.NewHeader(),
            Graph = new Graph(),
            Dt = DtMs,
            DtUnit = "ms",
            InputConvention = InputConvention.EventsAddToState,
            TrainedAgent = record.Clone(),
            Metadata = { [Recurrent] = "carries the traces of the previous step, z(t−1): the recurrent current is (W + α ⊙ P(t−1))·z(t−1)" },
        };
        file.TrainedAgent.SurrogateSlope = s.SurrogateSlope;
        var nodes = file.Graph.Nodes;
        nodes.Add(new Node { Name = Input, Size = (uint)inputs, Input = new Proto.Input { Shape = { (uint)inputs } } });
        nodes.Add(new Node { Name = AffineIn, Size = (uint)n, Affine = new Affine { Weight = Tensors.F32(v.InputWeight, n, inputs), Bias = Tensors.F32(v.Bias, n) } });
        nodes.Add(SpikingCellNode.For(Neurons, n, Cell(s)));
        nodes.Add(new Node { Name = TraceStepNode, Size = (uint)n, Scale = new Scale { Scale_ = Tensors.F32(Enumerable.Repeat(s.TraceGain, n).ToArray(), n) } });
        nodes.Add(new Node { Name = Trace, Size = (uint)n, Li = new LI { TauMs = s.TraceTauSteps * DtMs, R = 1, Integrator = Integrator.ExactExponential } });
        var recurrent = new Affine { Weight = Tensors.F32(v.RecurrentWeight, n, n), Bias = Tensors.F32(new float[n], n) };
        if (network.Variant.IsPlastic) recurrent.Plasticity = new Proto.Plasticity { Backpropamine = Rule(network.Variant, v, n, actions) };
        nodes.Add(new Node { Name = Recurrent, Size = (uint)n, Affine = recurrent });
        nodes.Add(new Node { Name = Readout, Size = (uint)kept, Affine = new Affine { Weight = Tensors.F32(v.ReadoutWeight[..(kept * n)], kept, n), Bias = Tensors.F32(v.ReadoutBias[..kept], kept) } });
        nodes.Add(new Node { Name = Output, Size = (uint)kept, Output = new Proto.Output { Shape = { (uint)kept } } });
        foreach (var (source, target) in new[] { (Input, AffineIn), (AffineIn, Neurons), (Neurons, TraceStepNode), (TraceStepNode, Trace), (Trace, Recurrent), (Recurrent, Neurons), (Trace, Readout), (Readout, Output) })
            file.Graph.Edges.Add(new Edge { Source = source, Target = target });
        return file;
    }

    /// <summary>
    /// The network a file <see cref="ToModelFile"/> wrote, rebuilt on <paramref name="backend"/> for batches of
    /// <paramref name="batch"/> and episodes of up to <paramref name="maxSteps"/> steps, with its training record.
    /// </summary>
    public static (SpikingPlasticRnn Network, TrainedAgent Record) Read(ModelFile file, IComputeBackend backend, int batch, int maxSteps)
    {
        ModelFileChecks.Header(file);
        var record = file.TrainedAgent ?? throw new SpikeSimException("This model file holds no trained agent.");
        var graph = file.Graph ?? throw new SpikeSimException("The model file has no graph.");
        ModelFileChecks.NamesAndEdges(graph);
        if (file.Dt != DtMs) throw new SpikeSimException($"A Backpropamine agent runs one task step per {DtMs} ms; this file's dt is {file.Dt} ms.");
        var nodes = graph.Nodes.ToDictionary(x => x.Name);
        Node Get(string name, Node.KindOneofCase kind) => nodes.TryGetValue(name, out var x) && x.KindCase == kind
            ? x : throw new SpikeSimException($"A Backpropamine agent needs a {kind} node named '{name}'.");
        var lif = Get(Neurons, Node.KindOneofCase.Lif);
        int n = (int)lif.Size, inputs = (int)Get(Input, Node.KindOneofCase.Input).Size, kept = (int)Get(Readout, Node.KindOneofCase.Affine).Size, actions = kept - 1;
        if (actions < 1) throw new SpikeSimException("The readout needs at least one action row and the value row.");
        var li = Get(Trace, Node.KindOneofCase.Li).Li;
        var settings = new SpikingPlasticSettings(MembraneTauSteps: (float)(lif.Lif.TauMs / DtMs), TraceTauSteps: (float)(li.TauMs / DtMs),
            Threshold: (float)(lif.Lif.Spiking?.VThreshold ?? 0), SurrogateSlope: record.SurrogateSlope);
        if (!SpikingCellNode.Current(lif).Equals(SpikingCellNode.For(Neurons, n, Cell(settings))))
            throw new SpikeSimException($"Node '{Neurons}' is not the LIF cell of a spiking Backpropamine network (reset by subtraction at the next step, strict test, discrete time).");
        var steps = Tensors.Floats(Get(TraceStepNode, Node.KindOneofCase.Scale).Scale.Scale_, TraceStepNode, n).Distinct().ToArray();
        settings = Enum.GetValues<TraceStep>().Select(t => settings with { TraceStep = t }).FirstOrDefault(c => steps is [var x] && x == c.TraceGain)
                   ?? throw new SpikeSimException($"Node '{TraceStepNode}' must scale every spike by 1 − e^(−1/τ_trace) or by 1.");
        var affineIn = Get(AffineIn, Node.KindOneofCase.Affine).Affine;
        var recurrent = Get(Recurrent, Node.KindOneofCase.Affine).Affine;
        var readout = Get(Readout, Node.KindOneofCase.Affine).Affine;
        if (Tensors.Floats(recurrent.Bias, Recurrent, n).Any(b => b != 0)) throw new SpikeSimException($"Node '{Recurrent}' must have a zero bias (the bias is affine_in's).");
        var rule = recurrent.Plasticity?.Backpropamine;
        if (recurrent.Plasticity is not null && rule is null) throw new SpikeSimException($"Node '{Recurrent}' learns by a rule other than Backpropamine's.");
        SpikingPlasticVariant variant = rule?.Variant switch
        {
            null => new NonPlasticSpiking(),
            FileVariant.Plastic => new HebbianSpiking(),
            FileVariant.Modulated => new ModulatedSpiking(),
            var other => throw new SpikeSimException($"The spiking network has no {other} variant (plastic or modulated)."),
        };
        var readoutWeight = new float[(actions + 2) * n];
        var readoutBias = new float[actions + 2];
        Tensors.Floats(readout.Weight, Readout, kept * n).CopyTo(readoutWeight, 0);
        Tensors.Floats(readout.Bias, Readout, kept).CopyTo(readoutBias, 0);
        var alpha = new float[n * n];
        var eta = 0f;
        if (rule is not null)
        {
            Tensors.Floats(rule.Alpha, $"{Recurrent} alpha", n * n).CopyTo(alpha, 0);
            eta = rule.Eta;
            Tensors.Floats(rule.ModulatorWeight, $"{Recurrent} modulator_weight", n).CopyTo(readoutWeight, (actions + 1) * n);
            readoutBias[actions + 1] = rule.ModulatorBias;
        }
        var network = new SpikingPlasticRnn(backend, inputs, n, actions, batch, maxSteps, variant, settings, seed: 0);
        try
        {
            network.Load(new SpikingPlasticValues(Tensors.Floats(affineIn.Weight, AffineIn, n * inputs), Tensors.Floats(affineIn.Bias, AffineIn, n),
                Tensors.Floats(recurrent.Weight, Recurrent, n * n), alpha, eta, readoutWeight, readoutBias));
        }
        catch
        {
            network.Dispose();
            throw;
        }
        return (network, record);
    }

    private static LifCell Cell(SpikingPlasticSettings s) => new(s.MembraneTauSteps * DtMs, s.Threshold, NeuronReset.SubtractAtNextStep);

    private static BackpropamineRule Rule(SpikingPlasticVariant variant, SpikingPlasticValues v, int n, int actions) => new()
    {
        Variant = variant.IsModulated ? FileVariant.Modulated : FileVariant.Plastic,
        Alpha = Tensors.F32(v.Alpha, n, n),
        Eta = v.Eta,
        ModulatorWeight = Tensors.F32(v.ReadoutWeight[((actions + 1) * n)..((actions + 2) * n)], n),
        ModulatorBias = v.ReadoutBias[actions + 1],
        Post = $"{Trace} z(t)",
        Pre = $"{Trace} z(t−1)",
    };
}
