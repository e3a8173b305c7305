using SpikeSim.Learning.Data;

namespace SpikeSim.Learning.Encoders;

/// <summary>
/// Latency (time-to-first-spike) encoding, linear as in snnTorch's <c>latency(linear=True)</c>: one spike at
/// step round((1 − x)·(T − 1)), so strong inputs fire early; values at or below <paramref name="threshold"/> never fire.
/// </summary>
public sealed class LatencyEncoder(float threshold = 0.01f) : IEncoder
{
    /// <inheritdoc />
    public EncoderKind Kind => EncoderKind.Latency;

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
                if (x[i] <= threshold) continue;
                var t = (int)MathF.Round((1f - Math.Min(x[i], 1f)) * (steps - 1));
                output[(t * batch + b) * f + i] = 1f;
            }
        }
    }
}
