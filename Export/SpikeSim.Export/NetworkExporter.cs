using Google.Protobuf;
using SpikeSim.Export.Codecs;
using SpikeSim.Export.Proto;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Inputs;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Plasticity;
using SpikeSim.Simulator.Synapses;
using Sim = SpikeSim.Simulator;
using SpikeSim.Simulator.Files;

namespace SpikeSim.Export;

/// <summary>
/// Writes a network description as a SpikeSim model file: populations and inputs as nodes, each
/// projection as a node on the edge between its populations (as NIR places Linear and Affine nodes),
/// with every parameter NIR lacks — dt, integrator, reset mode, refractory period, spike test, initial
/// state, delays, plasticity — stated.
/// </summary>
public static class NetworkExporter
{
    /// <summary>The model file of <paramref name="network"/> discretised for <paramref name="dtMs"/>.</summary>
    /// <param name="network">The network.</param>
    /// <param name="dtMs">The step its values are for.</param>
    /// <param name="metadata">Key–value pairs to keep in the file.</param>
    /// <param name="codecs">The codecs of every node kind (<see cref="ModelCodecs.BuiltIn"/> where null); a program adds its own neuron models' and rules' here.</param>
    public static ModelFile ToModelFile(Network network, double dtMs, IReadOnlyDictionary<string, string>? metadata = null, ModelCodecs? codecs = null)
    {
        codecs ??= ModelCodecs.BuiltIn;
        var file = new ModelFile
        {
            Header = ModelFileCodec.NewHeader(),
            Graph = new Graph(),
            Dt = dtMs,
            DtUnit = "ms",
        };
        if (metadata is not null) foreach (var (key, value) in metadata) file.Metadata[key] = value;
        foreach (var population in network.Populations)
        {
            var node = codecs.Neurons.Write(population.Name, population.Size, population.Model);
            foreach (var (variable, values) in population.Initial) node.Initial.Add(new InitialState { Variable = variable.Name, Values = F32(values) });
            file.Graph.Nodes.Add(node);
        }
        // Neuromodulators are named by their order of first use, so the same network always gives the same bytes.
        var writing = new RuleWriting(dtMs);
        for (var k = 0; k < network.Projections.Count; k++)
        {
            var p = network.Projections[k];
            var name = $"{p.Source.Name}->{p.Target.Name}#{k}";
            file.Graph.Nodes.Add(Projection(name, p, writing, codecs));
            file.Graph.Edges.Add(new Edge { Source = p.Source.Name, Target = name });
            file.Graph.Edges.Add(new Edge { Source = name, Target = p.Target.Name });
        }
        // Inputs by codec, in the registry's order (currents, Poisson, noise), each kind in the order injected.
        var inputs = codecs.Inputs.SelectMany(codec => network.Inputs.Where(i => i.GetType() == codec.InputType).Select(i => (Codec: codec, Input: i))).ToList();
        if (network.Inputs.FirstOrDefault(i => codecs.Inputs.All(c => c.InputType != i.GetType())) is { } unwritten)
            throw new SpikeSimException($"The input into '{unwritten.Target.Name}' is {unwritten.GetType().Name}, which no input codec writes.");
        for (var k = 0; k < inputs.Count; k++)
        {
            var (codec, input) = inputs[k];
            var target = input.Target;
            var node = new Node { Name = $"input#{k}->{target.Name}", Size = (uint)target.Size };
            codec.Write(input, node);
            file.Graph.Nodes.Add(node);
            file.Graph.Edges.Add(new Edge { Source = node.Name, Target = target.Name });
        }
        return file;
    }

    /// <summary>Writes the file atomically (a temporary file, then a rename).</summary>
    public static void Write(ModelFile file, string path)
        => AtomicFile.WriteAllBytes(path, ModelFileCodec.Encode(file));

    /// <summary>The node of <paramref name="size"/> neurons of <paramref name="model"/>, by the built-in codecs.</summary>
    public static Node Neuron(string name, int size, INeuronModel model) => NeuronCodecs.BuiltIn.Write(name, size, model);

    private static Node Projection(string name, Projection p, RuleWriting writing, ModelCodecs codecs)
    {
        var node = new Node { Name = name, Size = (uint)p.Target.Size };
        var connectivity = p.Connectivity.Explicit(Environment.ProcessorCount);
        codecs.Projection(name, connectivity).Write(p, connectivity, node, codecs.Rules, writing);
        return node;
    }

    internal static Tensor F32(IReadOnlyCollection<float> values, params int[] shape) => Tensors.F32(values, shape);

    private static Tensor I32(IReadOnlyCollection<int> values) => Tensors.I32(values);
}
