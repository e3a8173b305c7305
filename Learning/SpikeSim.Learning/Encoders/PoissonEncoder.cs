using SpikeSim.Learning.Data;
using SpikeSim.Simulator.Random;

namespace SpikeSim.Learning.Encoders;

/// <summary>Poisson rate encoding: at each step a unit spikes with probability p = maxProbability·x (x in [0, 1]).</summary>
public sealed class PoissonEncoder(float maxProbability = 1f) : IEncoder
{
    /// <inheritdoc />
    public EncoderKind Kind => EncoderKind.Poisson;

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
                for (var i = 0; i < f; i++)
                    row[i] = CounterRng.Uniform(seed, (uint)indices[b], (uint)(t * f + i)) < maxProbability * x[i] ? 1f : 0f;
            }
        }
    }
}
