using SpikeSim.Learning.Data;

namespace SpikeSim.Learning.Encoders;

/// <summary>
/// Turns a batch of samples into network input over time: <c>output</c> is the steps × batch × features
/// matrix (row t·batch + b). Stochastic encoders draw from a counter-based generator keyed on
/// (<c>seed</c>, sample index, step, feature), so a batch encodes the same way whenever it is replayed.
/// </summary>
public interface IEncoder
{
    /// <summary>Which encoder this is.</summary>
    EncoderKind Kind { get; }

    /// <summary>Encodes the samples <paramref name="indices"/> of <paramref name="data"/>.</summary>
    void Encode(Dataset data, ReadOnlySpan<int> indices, int steps, Span<float> output, ulong seed);
}

/// <summary>The encoders by kind.</summary>
public static class Encoder
{
    /// <summary>The encoder of kind <paramref name="kind"/>.</summary>
    public static IEncoder Create(EncoderKind kind) => kind switch
    {
        EncoderKind.Poisson => new PoissonEncoder(),
        EncoderKind.Latency => new LatencyEncoder(),
        EncoderKind.Current => new CurrentEncoder(),
        EncoderKind.SpikeTimes => new SpikeTimeEncoder(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
