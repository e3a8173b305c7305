using Google.Protobuf.Collections;
using SpikeSim.Simulator.Errors;

namespace SpikeSim.Export.Codecs;

/// <summary>The by-name parameters of a custom neuron model or learning rule: every value finite, a missing one named.</summary>
internal static class CustomParameters
{
    /// <summary>A getter over <paramref name="parameters"/> for the codec <paramref name="codec"/> of <paramref name="owner"/> (a node, a projection).</summary>
    public static Func<string, double> Reader(MapField<string, double> parameters, string owner, string codec)
    {
        foreach (var (key, value) in parameters)
            if (!double.IsFinite(value)) throw new SpikeSimException($"{owner} has {key} = {value}; parameters must be finite.");
        return key => parameters.TryGetValue(key, out var value) ? value
            : throw new SpikeSimException($"{owner} ({codec}) has no parameter '{key}'.");
    }

    /// <summary>Writes <paramref name="values"/> into <paramref name="parameters"/>.</summary>
    public static void Write(MapField<string, double> parameters, IEnumerable<(string Name, double Value)> values)
    {
        foreach (var (key, value) in values) parameters[key] = value;
    }
}
