namespace SpikeSim.Export.Nir;

/// <summary>
/// A NIR graph in memory, as the NIR HDF5 layout stores it: named nodes, each a type name and its fields
/// (float32 arrays of any rank, int64 arrays for shapes), (source, target) edges, and string metadata.
/// </summary>
public sealed class NirGraph
{
    /// <summary>Nodes by name, in the order they were added.</summary>
    public List<(string Name, NirNode Node)> Nodes { get; } = [];

    /// <summary>Edges as (source, target) node names.</summary>
    public List<(string Source, string Target)> Edges { get; } = [];

    /// <summary>Graph metadata (NIR's <c>metadata</c> group), written as string datasets.</summary>
    public Dictionary<string, string> Metadata { get; } = [];

    /// <summary>The node called <paramref name="name"/>.</summary>
    public NirNode this[string name] => Nodes.First(n => n.Name == name).Node;
}

/// <summary>One NIR node: its type (NIR's class name, e.g. "LIF") and its fields.</summary>
public sealed record NirNode(string Type, Dictionary<string, NirArray> Fields)
{
    /// <summary>A node of <paramref name="type"/> with the given fields.</summary>
    public static NirNode Of(string type, params (string Name, NirArray Value)[] fields)
        => new(type, fields.ToDictionary(f => f.Name, f => f.Value));
}

/// <summary>An n-dimensional array field: float32 values or int64 values, row-major, with its shape (empty for a scalar).</summary>
public sealed record NirArray(ulong[] Shape, float[]? Floats, long[]? Ints)
{
    /// <summary>A float32 array of shape <paramref name="shape"/> (a vector where none is given).</summary>
    public static NirArray F32(float[] values, params int[] shape)
        => new(shape.Length == 0 ? [(ulong)values.Length] : shape.Select(s => (ulong)s).ToArray(), values, null);

    /// <summary>An int64 vector.</summary>
    public static NirArray I64(params long[] values) => new([(ulong)values.Length], null, values);

    /// <summary>
    /// An int64 scalar (rank 0), as the NIR package writes a Python int — Flatten's <c>start_dim</c> and <c>end_dim</c>,
    /// Conv2d's <c>groups</c>: <c>nir.read</c> indexes shapes with them, which a one-element vector breaks.
    /// </summary>
    public static NirArray Scalar(long value) => new([], null, [value]);

    /// <summary>Number of elements.</summary>
    public long Length => Floats?.LongLength ?? Ints!.LongLength;
}
