using SpikeSim.Learning.Data;

namespace SpikeSim.Learning.Encoders;

/// <summary>For data that already are spike times (<see cref="FeatureKind.SpikeTimes"/>): a spike at step ⌊time⌋ when it lies in the window.</summary>
public sealed class SpikeTimeEncoder : IEncoder
{
    /// <inheritdoc />
    public EncoderKind Kind => EncoderKind.SpikeTimes;

    /// <inheritdoc />
    public void Encode(Dataset data, ReadOnlySpan<int> indices, int steps, Span<float> output, ulong seed)
    {
        var f = data.Features;
        var batch = indices.Length;
        output[..(steps * batch * f)].Clear();
        for (var b = 0; b < batch; b++)
        {
            var x = data.Sample(indices[b]);
            for (var i = 0; i < f; i++)
            {
                if (!(x[i] >= 0) || x[i] >= steps) continue;
                output[((int)x[i] * batch + b) * f + i] = 1f;
            }
        }
    }
}
