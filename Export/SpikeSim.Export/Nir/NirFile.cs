using PureHDF;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Files;

namespace SpikeSim.Export.Nir;

/// <summary>
/// NIR files (HDF5, via PureHDF) in the reference layout of the NIR Python package: a string dataset
/// <c>/version</c>; a group <c>/node</c> with <c>type</c> = "NIRGraph", a group <c>nodes</c> holding one group per
/// node (a string <c>type</c> and one dataset per field), <c>edges</c> as an (E, 2) string dataset, and an
/// optional <c>metadata</c> group.
/// </summary>
public static class NirFile
{
    /// <summary>The NIR version whose layout SpikeSim writes.</summary>
    public const string Version = "1.0.0";

    /// <summary>Node types this reader knows, with the fields each must have.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> KnownTypes = new Dictionary<string, string[]>
    {
        ["Input"] = ["shape"], ["Output"] = ["shape"], ["Affine"] = ["weight", "bias"], ["Linear"] = ["weight"],
        ["Scale"] = ["scale"], ["Threshold"] = ["threshold"], ["Delay"] = ["delay"], ["Flatten"] = ["start_dim", "end_dim"],
        ["I"] = ["r"], ["IF"] = ["r", "v_threshold"], ["LI"] = ["tau", "r", "v_leak"], ["LIF"] = ["tau", "r", "v_leak", "v_threshold"],
        ["Conv1d"] = ["weight"], ["Conv2d"] = ["weight"], ["AvgPool2d"] = ["kernel_size"], ["SumPool2d"] = ["kernel_size"],
        ["CubaLI"] = ["tau_mem", "tau_syn", "r", "v_leak", "w_in"], ["CubaLIF"] = ["tau_mem", "tau_syn", "r", "v_leak", "v_threshold", "w_in"],
    };

    /// <summary>Writes <paramref name="graph"/> to <paramref name="path"/> (a temporary file, then a rename).</summary>
    public static void Write(NirGraph graph, string path)
    {
        var nodes = new H5Group();
        foreach (var (name, node) in graph.Nodes)
        {
            var group = new H5Group { ["type"] = node.Type };
            foreach (var (field, value) in node.Fields) group[field] = Data(value);
            nodes[name] = group;
        }
        var edges = new string[graph.Edges.Count, 2];
        for (var i = 0; i < graph.Edges.Count; i++) (edges[i, 0], edges[i, 1]) = graph.Edges[i];
        var root = new H5Group { ["type"] = "NIRGraph", ["nodes"] = nodes, ["edges"] = edges };
        if (graph.Metadata.Count > 0)
        {
            var metadata = new H5Group();
            foreach (var (key, value) in graph.Metadata) metadata[key] = value;
            root["metadata"] = metadata;
        }
        var file = new H5File { ["version"] = Version, ["node"] = root };
        AtomicFile.Write(path, temporary => file.Write(temporary));
    }

    /// <summary>Reads a NIR file; every problem ends in one <see cref="SpikeSimException"/> naming the node.</summary>
    public static NirGraph Read(string path)
    {
        if (!File.Exists(path)) throw new SpikeSimException($"No NIR file at '{path}'.");
        try
        {
            var fileLength = new FileInfo(path).Length;
            using var file = H5File.OpenRead(path);
            if (!file.LinkExists("version")) throw new SpikeSimException($"{path} has no /version dataset; it is not a NIR file.");
            var version = file.Dataset("version").Read<string>();
            if (!version.StartsWith("1.", StringComparison.Ordinal) && !version.StartsWith("0.", StringComparison.Ordinal))
                throw new SpikeSimException($"{path} is NIR {version}; SpikeSim reads NIR 0.x and 1.x.");
            var root = file.Group("node");
            var type = root.Dataset("type").Read<string>();
            if (type != "NIRGraph") throw new SpikeSimException($"{path}: /node is a '{type}', expected a NIRGraph.");
            var graph = new NirGraph();
            ReadGraph(root, "", graph, path, fileLength, depth: 0);
            SpliceSubgraphPorts(graph);
            var names = graph.Nodes.Select(n => n.Name).ToHashSet();
            foreach (var (source, target) in graph.Edges)
                if (!names.Contains(source) || !names.Contains(target))
                    throw new SpikeSimException($"{path}: edge {source} → {target} names a node that does not exist.");
            if (root.LinkExists("metadata"))
                foreach (var entry in root.Group("metadata").Children())
                    if (entry is IH5Dataset d) graph.Metadata[entry.Name] = ReadScalarString(d);
            return graph;
        }
        catch (SpikeSimException)
        {
            throw;
        }
        catch (OutOfMemoryException e)
        {
            // PureHDF allocates what a damaged header declares; a request beyond the array limit is a corrupt size.
            throw new SpikeSimException($"Cannot read NIR file {path}: it declares data larger than it can hold (damaged?).", e);
        }
        catch (Exception e)
        {
            throw new SpikeSimException($"Cannot read NIR file {path}: {e.Message}", e);
        }
    }

    /// <summary>
    /// The nodes and edges of one graph level, a nested NIRGraph's opened in place as NIR addresses them: node x of subgraph
    /// g becomes "g.x", and an edge to or from g itself goes to g's Input node or comes from its Output node.
    /// </summary>
    private static void ReadGraph(IH5Group root, string prefix, NirGraph into, string path, long fileLength, int depth)
    {
        if (depth > 16) throw new SpikeSimException($"{path}: subgraphs are nested more than 16 deep.");
        var subgraphs = new Dictionary<string, (List<string> Inputs, List<string> Outputs)>();
        foreach (var child in root.Group("nodes").Children())
        {
            if (child is not IH5Group group) throw new SpikeSimException($"{path}: node '{prefix}{child.Name}' is not a group.");
            if (group.Dataset("type").Read<string>() == "NIRGraph")
            {
                var first = into.Nodes.Count;
                ReadGraph(group, $"{prefix}{child.Name}.", into, path, fileLength, depth + 1);
                var inner = into.Nodes.Skip(first).Where(n => n.Name.LastIndexOf('.') == prefix.Length + child.Name.Length).ToList();
                subgraphs[prefix + child.Name] = (inner.Where(n => n.Node.Type == "Input").Select(n => n.Name).ToList(),
                    inner.Where(n => n.Node.Type == "Output").Select(n => n.Name).ToList());
                continue;
            }
            into.Nodes.Add((prefix + child.Name, ReadNode(group, prefix + child.Name, fileLength)));
        }
        var edges = root.Dataset("edges");
        CheckDeclaredSize(edges, "the edge list", fileLength);
        var dims = edges.Space.Dimensions;
        if (dims.Length == 2 && dims[1] == 2 && dims[0] > 0)
        {
            var pairs = edges.Read<string[,]>();
            for (var i = 0; i < pairs.GetLength(0); i++)
            {
                var (source, target) = (prefix + pairs[i, 0], prefix + pairs[i, 1]);
                var sources = subgraphs.TryGetValue(source, out var s) ? Port(s.Outputs, source, "Output") : [source];
                var targets = subgraphs.TryGetValue(target, out var t) ? Port(t.Inputs, target, "Input") : [target];
                foreach (var from in sources)
                foreach (var to in targets) into.Edges.Add((from, to));
            }
        }
        else if (!(dims.Length >= 1 && dims[0] == 0)) throw new SpikeSimException($"{path}: edges must be an (E, 2) string dataset.");

        static List<string> Port(List<string> ports, string graph, string type)
            => ports.Count > 0 ? ports : throw new SpikeSimException($"Subgraph '{graph}' is connected from outside but has no {type} node.");
    }

    /// <summary>
    /// Removes the Input and Output nodes of nested graphs, joining what leads into each to what it leads to, so a
    /// subgraph reads as the nodes it holds (snnTorch's RLeaky: <c>g.input → g.lif ↔ g.w_rec, g.lif → g.output</c>).
    /// </summary>
    private static void SpliceSubgraphPorts(NirGraph graph)
    {
        foreach (var (name, _) in graph.Nodes.Where(n => n.Name.Contains('.') && n.Node.Type is "Input" or "Output").ToList())
        {
            var into = graph.Edges.Where(e => e.Target == name).Select(e => e.Source).ToList();
            var from = graph.Edges.Where(e => e.Source == name).Select(e => e.Target).ToList();
            graph.Edges.RemoveAll(e => e.Source == name || e.Target == name);
            foreach (var a in into)
            foreach (var b in from) graph.Edges.Add((a, b));
            graph.Nodes.RemoveAll(n => n.Name == name);
        }
    }

    private static NirNode ReadNode(IH5Group group, string name, long fileLength)
    {
        var type = group.Dataset("type").Read<string>();
        if (!KnownTypes.TryGetValue(type, out var required))
            throw new SpikeSimException($"Node '{name}' has the type '{type}', which SpikeSim does not read.");
        var fields = new Dictionary<string, NirArray>();
        foreach (var child in group.Children())
        {
            if (child.Name is "type" or "metadata" || child is not IH5Dataset dataset) continue;
            // A node's input_type (Flatten's image shape) is kept where it is an integer shape; other forms carry nothing SpikeSim reads.
            if (child.Name == "input_type" && dataset.Type.Class != H5DataTypeClass.FixedPoint) continue;
            CheckDeclaredSize(dataset, $"node '{name}' field '{dataset.Name}'", fileLength);
            fields[child.Name] = ReadArray(dataset, name);
        }
        foreach (var field in required)
            if (!fields.ContainsKey(field)) throw new SpikeSimException($"Node '{name}' ({type}) lacks its '{field}' field.");
        return new NirNode(type, fields);
    }

    /// <summary>Largest ratio of a dataset's declared bytes to the file's length that is taken as compression, not damage.</summary>
    public const double MaxExpansion = 1024;

    /// <summary>
    /// Refuses a dataset whose declared shape could not be in the file, before anything is allocated: more values than one
    /// array holds, more bytes than <see cref="MaxExpansion"/> times the file (compression included), or more than the memory free.
    /// </summary>
    private static void CheckDeclaredSize(IH5Dataset dataset, string what, long fileLength)
    {
        var elements = dataset.Space.Dimensions.Aggregate(1.0, (product, d) => product * d);
        var bytes = elements * Math.Max(1, dataset.Type.Size);
        if (elements > Array.MaxLength)
            throw new SpikeSimException($"The NIR file's {what} declares {elements:0} values, more than one array holds; the file is damaged.");
        if (bytes > MaxExpansion * fileLength + 4096)
            throw new SpikeSimException($"The NIR file's {what} declares {bytes:0} bytes in a file of {fileLength} bytes; the file is damaged.");
        MemoryBudget.Require(2 * bytes, $"Reading the NIR file's {what}");
    }

    private static NirArray ReadArray(IH5Dataset dataset, string node)
    {
        var shape = dataset.Space.Dimensions;
        var typeClass = dataset.Type.Class;
        if (typeClass == H5DataTypeClass.FloatingPoint)
        {
            var values = dataset.Type.Size == 8 ? dataset.Read<double[]>().Select(v => (float)v).ToArray() : dataset.Read<float[]>();
            foreach (var v in values)
                if (!float.IsFinite(v)) throw new SpikeSimException($"Node '{node}' field '{dataset.Name}' holds {v}; values must be finite.");
            return new NirArray(shape, values, null);
        }
        if (typeClass == H5DataTypeClass.FixedPoint)
        {
            var values = dataset.Type.Size switch
            {
                8 => dataset.Read<long[]>(),
                4 => dataset.Read<int[]>().Select(v => (long)v).ToArray(),
                _ => throw new SpikeSimException($"Node '{node}' field '{dataset.Name}' has {dataset.Type.Size}-byte integers."),
            };
            return new NirArray(shape, null, values);
        }
        throw new SpikeSimException($"Node '{node}' field '{dataset.Name}' is neither float nor integer.");
    }

    private static string ReadScalarString(IH5Dataset dataset)
    {
        try
        {
            return dataset.Read<string>();
        }
        catch (Exception)
        {
            return "";
        }
    }

    private static object Data(NirArray a)
    {
        if (a.Ints is { } ints) return a.Shape.Length == 0 ? ints[0] : ints;
        var f = a.Floats!;
        return a.Shape.Length switch
        {
            0 => f[0],
            1 => f,
            2 => To2D(f, (int)a.Shape[0], (int)a.Shape[1]),
            3 => To3D(f, (int)a.Shape[0], (int)a.Shape[1], (int)a.Shape[2]),
            4 => To4D(f, (int)a.Shape[0], (int)a.Shape[1], (int)a.Shape[2], (int)a.Shape[3]),
            _ => throw new ArgumentException("NIR fields of rank above 4 are not written by SpikeSim."),
        };
    }

    private static float[,,] To3D(float[] values, int a, int b, int c)
    {
        var result = new float[a, b, c];
        Buffer.BlockCopy(values, 0, result, 0, values.Length * sizeof(float));
        return result;
    }

    private static float[,,,] To4D(float[] values, int a, int b, int c, int d)
    {
        var result = new float[a, b, c, d];
        Buffer.BlockCopy(values, 0, result, 0, values.Length * sizeof(float));
        return result;
    }

    private static float[,] To2D(float[] values, int rows, int columns)
    {
        var result = new float[rows, columns];
        for (var i = 0; i < rows; i++)
        for (var j = 0; j < columns; j++) result[i, j] = values[i * columns + j];
        return result;
    }
}
