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
    /// <param name="file">The parsed file.</param>
    /// <param name="codecs">The codecs of every node kind (<see cref="ModelCodecs.BuiltIn"/> where null).</param>
    public static (Network Network, double DtMs) FromModelFile(ModelFile file, ModelCodecs? codecs = null)
    {
        try
        {
            return Build(file, codecs ?? ModelCodecs.BuiltIn);
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

    private static (Network, double) Build(ModelFile file, ModelCodecs codecs)
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
        foreach (var node in graph.Nodes.Where(codecs.Neurons.IsPopulation))
        {
            var population = network.AddPopulation(node.Name, (int)node.Size, codecs.Neurons.Read(node));
            foreach (var initial in node.Initial)
            {
                var variable = population.Model.StateVariables.FirstOrDefault(v => v.Name == initial.Variable)
                    ?? throw new SpikeSimException($"Node '{node.Name}' sets an initial '{initial.Variable}', which its model does not have.");
                population.SetInitial(variable, Floats(initial.Values, node.Name, population.Size));
            }
            populations[node.Name] = population;
        }
        var reading = new RuleReading(populations);
        foreach (var node in graph.Nodes.Where(n => !codecs.Neurons.IsPopulation(n)))
        {
            var into = graph.Edges.Where(e => e.Source == node.Name).Select(e => e.Target).ToList();
            var from = graph.Edges.Where(e => e.Target == node.Name).Select(e => e.Source).ToList();
            if (into.Count != 1 || !populations.TryGetValue(into[0], out var target))
                throw new SpikeSimException($"Node '{node.Name}' must lead to exactly one population.");
            if (codecs.Inputs.FirstOrDefault(c => c.Reads(node)) is { } input)
            {
                network.Inject(input.Read(node, target));
                continue;
            }
            if (from.Count != 1 || !populations.TryGetValue(from[0], out var source))
                throw new SpikeSimException($"Projection '{node.Name}' must come from exactly one population.");
            var codec = codecs.Projections.FirstOrDefault(c => c.Reads(node))
                ?? throw new SpikeSimException($"Node '{node.Name}' is of a kind this SpikeSim does not know ({node.KindCase}); it may come from a newer version.");
            var (connectivity, channel, delayMs, rule) = codec.Read(node, source, target, codecs.Rules, reading);
            network.Connect(source, target, connectivity, channel, delayMs, rule);
        }
        return (network, file.Dt);
    }

    private static float[] Floats(Tensor? tensor, string node, int expected) => Tensors.Floats(tensor, node, expected);

    private static int[] Ints(Tensor? tensor, string node) => Tensors.Ints(tensor, node);
}
