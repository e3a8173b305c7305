using Google.Protobuf;
using SpikeSim.Export.Codecs;
using SpikeSim.Export.Proto;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Files;
using SpikeSim.Simulator.Inputs;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Plasticity;
using SpikeSim.Simulator.Synapses;
using Sim = SpikeSim.Simulator;

namespace SpikeSim.Export;

/// <summary>
/// Reads a SpikeSim model file back into a network description. Every way a file can be wrong —
/// truncated or corrupt bytes, a foreign or newer-major header, a missing or non-finite parameter,
/// a tensor of the wrong shape, an unknown node, an edge to a missing node — ends in one
/// <see cref="SpikeSimException"/> that names the node, never in a crash from deep inside.
/// </summary>
public static class NetworkImporter
{
    /// <summary>Reads and checks a file; returns the network and the dt its values are for.</summary>
    public static (Network Network, double DtMs) Read(string path)
    {
        if (!File.Exists(path)) throw new SpikeSimException($"No model file at '{path}'.");
        return FromBytes(InputFile.ReadAllBytes(path, "model file"));
    }

    /// <summary>Parses and checks the bytes of a model file.</summary>
    public static (Network Network, double DtMs) FromBytes(byte[] bytes) => FromModelFile(ModelFileCodec.Decode(bytes));

    /// <summary>Builds the network a parsed model file describes, reading its populations with <paramref name="codecs"/> (the built-in ones where null).</summary>
    public static (Network Network, double DtMs) FromModelFile(ModelFile file, NeuronCodecs? codecs = null)
    {
        try
        {
            return Build(file, codecs ?? NeuronCodecs.BuiltIn);
        }
        catch (SpikeSimException)
        {
            throw;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IndexOutOfRangeException or OverflowException or KeyNotFoundException)
        {
            throw new SpikeSimException($"The model file is inconsistent: {e.Message}", e);
        }
    }

    private static (Network, double) Build(ModelFile file, NeuronCodecs codecs)
    {
        ModelFileChecks.Header(file);
        var graph = ModelFileChecks.Flatten(file.Graph ?? throw new SpikeSimException("The model file has no graph."));
        ModelFileChecks.NamesAndEdges(graph);
        foreach (var node in graph.Nodes)
            if (node.KindCase is Node.KindOneofCase.Flatten or Node.KindOneofCase.Delay or Node.KindOneofCase.Threshold or Node.KindOneofCase.I or Node.KindOneofCase.CubaLi)
                throw new SpikeSimException($"Node '{node.Name}' is a NIR {node.KindCase}, which SpikeSim's simulation engines do not have.");
        if (file.Trained is not null || graph.Nodes.Any(n => n.KindCase is Node.KindOneofCase.Affine or Node.KindOneofCase.Input or Node.KindOneofCase.Output))
            throw new SpikeSimException("This file holds a trained classifier (Input, Affine and Output nodes), not a network for the simulation engines; "
                + "`spikesim inspect` summarises it.");

        var network = new Network();
        var populations = new Dictionary<string, Population>();
        foreach (var node in graph.Nodes.Where(codecs.IsPopulation))
        {
            var population = network.AddPopulation(node.Name, (int)node.Size, codecs.Read(node));
            foreach (var initial in node.Initial)
            {
                var variable = population.Model.StateVariables.FirstOrDefault(v => v.Name == initial.Variable)
                    ?? throw new SpikeSimException($"Node '{node.Name}' sets an initial '{initial.Variable}', which its model does not have.");
                population.SetInitial(variable, Floats(initial.Values, node.Name, population.Size));
            }
            populations[node.Name] = population;
        }
        var modulators = new Dictionary<string, Neuromodulator>();
        foreach (var node in graph.Nodes.Where(n => !codecs.IsPopulation(n)))
        {
            var into = graph.Edges.Where(e => e.Source == node.Name).Select(e => e.Target).ToList();
            var from = graph.Edges.Where(e => e.Target == node.Name).Select(e => e.Source).ToList();
            if (into.Count != 1 || !populations.TryGetValue(into[0], out var target))
                throw new SpikeSimException($"Node '{node.Name}' must lead to exactly one population.");
            switch (node.KindCase)
            {
                case Node.KindOneofCase.Current:
                    var waveform = node.Current.Waveform is { F32.Count: > 0 } w ? Floats(w, node.Name, w.F32.Count) : null;
                    network.Inject(new Sim.Inputs.CurrentInput(target, Floats(node.Current.Amplitude, node.Name, target.Size), waveform));
                    continue;
                case Node.KindOneofCase.PoissonInput:
                    network.Inject(new Sim.Inputs.PoissonInput(target, node.PoissonInput.RateHz, node.PoissonInput.Weight, (int)node.PoissonInput.Channel));
                    continue;
                case Node.KindOneofCase.NoiseCurrent:
                    network.Inject(new NoiseCurrentInput(target, node.NoiseCurrent.Low, node.NoiseCurrent.High));
                    continue;
            }
            if (from.Count != 1 || !populations.TryGetValue(from[0], out var source))
                throw new SpikeSimException($"Projection '{node.Name}' must come from exactly one population.");
            switch (node.KindCase)
            {
                case Node.KindOneofCase.Linear:
                    var weight = Floats(node.Linear.Weight, node.Name, source.Size * target.Size);
                    var sourceMajor = new float[weight.Length];
                    for (var j = 0; j < target.Size; j++)
                        for (var i = 0; i < source.Size; i++) sourceMajor[i * target.Size + j] = weight[j * source.Size + i];
                    network.Connect(source, target, new DenseConnectivity(source.Size, target.Size, sourceMajor), (int)node.Linear.Channel, node.Linear.DelayMs);
                    break;
                case Node.KindOneofCase.Scale:
                    network.Connect(source, target, new OneToOneConnectivity(Floats(node.Scale.Scale_, node.Name, source.Size)), (int)node.Scale.Channel, node.Scale.DelayMs);
                    break;
                case Node.KindOneofCase.Sparse:
                    var s = node.Sparse;
                    if (s.Sources != source.Size || s.Targets != target.Size)
                        throw new SpikeSimException($"Projection '{node.Name}' is {s.Sources}×{s.Targets} but joins populations of {source.Size} and {target.Size}.");
                    var targets = Ints(s.TargetIndex, node.Name);
                    var connectivity = new SparseConnectivity(source.Size, target.Size, Ints(s.RowStart, node.Name), targets,
                        Floats(s.Weight, node.Name, targets.Length), s.DelayMs is { F32.Count: > 0 } d ? Floats(d, node.Name, targets.Length) : null);
                    network.Connect(source, target, connectivity, (int)s.Channel, s.UniformDelayMs, Rule(s.Plasticity, populations, modulators, node.Name));
                    break;
                default:
                    throw new SpikeSimException($"Node '{node.Name}' is of a kind this SpikeSim does not know ({node.KindCase}); it may come from a newer version.");
            }
        }
        return (network, file.Dt);
    }

    private static IPlasticityRule? Rule(Proto.Plasticity? plasticity, Dictionary<string, Population> populations,
        Dictionary<string, Neuromodulator> modulators, string node)
    {
        if (plasticity is null) return null;
        switch (plasticity.RuleCase)
        {
            case Proto.Plasticity.RuleOneofCase.PairStdp:
                return Pair(plasticity.PairStdp, node);
            case Proto.Plasticity.RuleOneofCase.ThreeFactorStdp:
                var r = plasticity.ThreeFactorStdp;
                if (!modulators.TryGetValue(r.Modulator, out var modulator))
                {
                    Population? source = null;
                    if (r.ModulatorSource.Length > 0 && !populations.TryGetValue(r.ModulatorSource, out source))
                        throw new SpikeSimException($"Projection '{node}' names a neuromodulator source '{r.ModulatorSource}' that is not a population.");
                    modulators[r.Modulator] = modulator = new Neuromodulator(r.TauNMs, source, r.PerSpike);
                }
                return new Sim.Plasticity.ThreeFactorStdp(Pair(r.Pairing ?? throw new SpikeSimException($"Projection '{node}' has a three-factor rule without its pairing."), node),
                    modulator, r.TauCMs, r.LearningRate, r.B);
            case Proto.Plasticity.RuleOneofCase.Backpropamine or Proto.Plasticity.RuleOneofCase.Decomposed:
                throw new SpikeSimException($"Projection '{node}' learns by a {plasticity.RuleCase} rule, which the simulation engines do not run.");
            default:
                throw new SpikeSimException($"Projection '{node}' has a learning rule this SpikeSim does not know.");
        }
    }

    private static Sim.Plasticity.PairStdp Pair(Proto.PairStdp p, string node)
    {
        foreach (var x in new[] { p.APlus, p.AMinus, p.TauPlusMs, p.TauMinusMs, p.WMin, p.WMax })
            if (!double.IsFinite(x)) throw new SpikeSimException($"Projection '{node}' has a non-finite STDP parameter.");
        return new Sim.Plasticity.PairStdp(p.APlus, p.AMinus, p.TauPlusMs, p.TauMinusMs, p.WMin, p.WMax,
            p.Multiplicative ? WeightDependence.Multiplicative : WeightDependence.Additive, p.Nearest ? TracePairing.Nearest : TracePairing.AllToAll);
    }

    private static float[] Floats(Tensor? tensor, string node, int expected) => Tensors.Floats(tensor, node, expected);

    private static int[] Ints(Tensor? tensor, string node) => Tensors.Ints(tensor, node);
}
