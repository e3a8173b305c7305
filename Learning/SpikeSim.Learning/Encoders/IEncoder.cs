using SpikeSim.Learning.Data;

namespace SpikeSim.Learning.Encoders;

/// <summary>
/// Turns a batch of samples into network input over time: <c>output</c> is the steps × batch × features
/// matrix (row t·batch + b). Stochastic encoders draw from a counter-based generator keyed on
/// (<c>seed</c>, sample index, step, feature), so a batch encodes the same way whenever it is replayed.
/// </summary>
public interface IEncoder
{
    /// <summary>The name the CLI uses.</summary>
    string Name { get; }

    /// <summary>Encodes the samples <paramref name="indices"/> of <paramref name="data"/>.</summary>
    void Encode(Dataset data, ReadOnlySpan<int> indices, int steps, Span<float> output, ulong seed);
}

/// <summary>The encoders by name.</summary>
public static class Encoder
{
    /// <summary>poisson, latency, current or spike-times.</summary>
    public static IEncoder Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "poisson" => new PoissonEncoder(),
        "latency" => new LatencyEncoder(),
        "current" => new CurrentEncoder(),
        "spike-times" => new SpikeTimeEncoder(),
        _ => throw new ArgumentException($"Unknown encoder '{name}'; choose poisson, latency, current or spike-times."),
    };
}
