using SpikeSim.Export.Proto;
using SpikeSim.Simulator.Errors;

namespace SpikeSim.Export;

/// <summary>Tensors of the model file: writing them with their shape, reading them with every check.</summary>
public static class Tensors
{
    public static Tensor F32(IReadOnlyCollection<float> values, params int[] shape)
    {
        var tensor = new Tensor { ElementType = ElementType.F32 };
        tensor.Shape.Add(shape.Length == 0 ? [(uint)values.Count] : shape.Select(s => (uint)s));
        tensor.F32.Add(values);
        return tensor;
    }

    public static Tensor I32(IReadOnlyCollection<int> values, params int[] shape)
    {
        var tensor = new Tensor { ElementType = ElementType.I32 };
        tensor.Shape.Add(shape.Length == 0 ? [(uint)values.Count] : shape.Select(s => (uint)s));
        tensor.I32.Add(values);
        return tensor;
    }

    public static float[] Floats(Tensor? tensor, string node, int expected)
    {
        if (tensor is null || tensor.ElementType != ElementType.F32) throw new SpikeSimException($"Node '{node}' lacks a float tensor it needs.");
        if (tensor.F32.Count != expected || tensor.Shape.Aggregate(1L, (a, b) => a * b) != expected)
            throw new SpikeSimException($"Node '{node}' has a tensor of {tensor.F32.Count} values (shape [{string.Join(", ", tensor.Shape)}]) where {expected} are needed.");
        foreach (var x in tensor.F32)
            if (!float.IsFinite(x)) throw new SpikeSimException($"Node '{node}' holds a value of {x}; values must be finite.");
        return [.. tensor.F32];
    }

    public static int[] Ints(Tensor? tensor, string node)
    {
        if (tensor is null || tensor.ElementType != ElementType.I32 || tensor.Shape.Aggregate(1L, (a, b) => a * b) != tensor.I32.Count)
            throw new SpikeSimException($"Node '{node}' lacks an integer tensor it needs.");
        return [.. tensor.I32];
    }
}

/// <summary>The checks every reader of the model file makes first.</summary>
public static class ModelFileChecks
{
    /// <summary>Format name, major version, dt, and no enum value or node kind this version does not know (<see cref="ModelFileSchema"/>).</summary>
    public static void Header(ModelFile file)
    {
        if (file.Header is null || file.Header.Format != ModelFormat.Name)
            throw new SpikeSimException($"Not a SpikeSim model file (its header says '{file.Header?.Format}', expected '{ModelFormat.Name}').");
        if (file.Header.Major > ModelFormat.Major)
            throw new SpikeSimException($"This file is format {file.Header.Major}.{file.Header.Minor}; this SpikeSim reads {ModelFormat.Major}.x. Update SpikeSim to read it.");
        if (file.Header.Major == 0) throw new SpikeSimException("The model file's header has no format version.");
        if (file.DtUnit != "ms" || !(file.Dt > 0) || double.IsInfinity(file.Dt))
            throw new SpikeSimException($"The model file's dt must be a positive time in ms (got {file.Dt} {file.DtUnit}).");
        ModelFileSchema.CheckKnown(file);
    }

    /// <summary>
    /// The graph with every nested subgraph opened in place: a node "x" inside the subgraph node "g" becomes "g.x",
    /// as NIR addresses it, and the subgraph's own edges are renamed alike. Edges must address inner nodes.
    /// </summary>
    public static Graph Flatten(Graph graph, string prefix = "", int depth = 0)
    {
        if (depth > 16) throw new SpikeSimException("Subgraphs are nested more than 16 deep.");
        if (graph.Nodes.All(n => n.KindCase != Node.KindOneofCase.Subgraph) && prefix.Length == 0) return graph;
        var flat = new Graph();
        foreach (var node in graph.Nodes)
        {
            if (node.KindCase == Node.KindOneofCase.Subgraph)
            {
                if (graph.Edges.Any(e => e.Source == node.Name || e.Target == node.Name))
                    throw new SpikeSimException($"Edges must address the nodes inside subgraph '{prefix}{node.Name}' as '{prefix}{node.Name}.<node>'.");
                var inner = Flatten(node.Subgraph, $"{prefix}{node.Name}.", depth + 1);
                flat.Nodes.Add(inner.Nodes);
                flat.Edges.Add(inner.Edges);
                continue;
            }
            var copy = node.Clone();
            copy.Name = prefix + node.Name;
            flat.Nodes.Add(copy);
        }
        foreach (var edge in graph.Edges) flat.Edges.Add(new Edge { Source = prefix + edge.Source, Target = prefix + edge.Target });
        return flat;
    }

    /// <summary>Unique, non-empty node names and edges between existing nodes.</summary>
    public static void NamesAndEdges(Graph graph)
    {
        var names = new HashSet<string>();
        foreach (var node in graph.Nodes)
            if (string.IsNullOrEmpty(node.Name) || !names.Add(node.Name))
                throw new SpikeSimException($"Node names must be unique and not empty ('{node.Name}').");
        foreach (var edge in graph.Edges)
            if (!names.Contains(edge.Source) || !names.Contains(edge.Target))
                throw new SpikeSimException($"Edge {edge.Source} → {edge.Target} names a node that does not exist.");
    }
}
