using SpikeSim.Learning.Data;

namespace SpikeSim.Learning.Encoders;

/// <summary>Direct (current) encoding: every step carries the analog value, input[t] = gain·x.</summary>
public sealed class CurrentEncoder(float gain = 1f) : IEncoder
{
    /// <inheritdoc />
    public EncoderKind Kind => EncoderKind.Current;

    /// <inheritdoc />
    public void Encode(Dataset data, ReadOnlySpan<int> indices, int steps, Span<float> output, ulong seed)
    {
        var f = data.Features;
        var batch = indices.Length;
        for (var b = 0; b < batch; b++)
        {
            var x = data.Sample(indices[b]);
            for (var t = 0; t < steps; t++)
            {
                var row = output.Slice((t * batch + b) * f, f);
                for (var i = 0; i < f; i++) row[i] = gain * x[i];
            }
        }
    }
}
