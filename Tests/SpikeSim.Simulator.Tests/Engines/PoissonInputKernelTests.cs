using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Random;
using Xunit;

namespace SpikeSim.Tests.Engines;

/// <summary>
/// The Poisson input kernel's host loop (eight neurons at a time where AVX-512 DQ is there, else one) adds exactly what
/// its per-neuron form adds, and the vector counter hash is the scalar one lane by lane.
/// </summary>
public sealed class PoissonInputKernelTests
{
    [Theory]
    [InlineData(0.0008, 3)]
    [InlineData(1.6, 17)]
    [InlineData(19.5, 40_001)]
    public void The_host_loop_adds_what_each_neuron_draws(double lambda, int step)
    {
        const int n = 1037, start = 5;
        var table = PoissonInputKernel.CumulativeTable(lambda);
        using var backend = new HostBackend(threads: 1);
        using var input = backend.Allocate<float>(n);
        using var cumulative = backend.Allocate<float>(table.Length);
        cumulative.CopyFrom(table);
        var initial = Enumerable.Range(0, n).Select(i => 0.25f * (i % 7) - 0.5f).ToArray();
        input.CopyFrom(initial);
        var kernel = new PoissonInputKernel(input.View, cumulative.View, 87.8f, seed: 0xC0FFEE, step);

        kernel.ExecuteRange(start, n);

        var total = 0;
        for (var i = 0; i < n; i++)
        {
            var expected = i < start ? initial[i] : initial[i] + kernel.Count(i) * 87.8f;
            Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(input.HostSpan[i]));
            if (i >= start) total += kernel.Count(i);
        }
        Assert.InRange(total, (n - start) * lambda - 5 * Math.Sqrt((n - start) * lambda) - 1, (n - start) * lambda + 5 * Math.Sqrt((n - start) * lambda) + 1);
    }

    [Fact]
    public void The_vector_hash_is_the_scalar_hash_lane_by_lane()
    {
        var lanes = System.Numerics.Vector<ulong>.Count;
        foreach (var first in new uint[] { 0, 1, 77_165, uint.MaxValue - (uint)lanes })
        {
            var streams = new ulong[lanes];
            for (var k = 0; k < lanes; k++) streams[k] = first + (uint)k;
            var hashes = CounterRng.Hash(12345, new System.Numerics.Vector<ulong>(streams), 999);
            for (var k = 0; k < lanes; k++) Assert.Equal(CounterRng.Hash(12345, (uint)streams[k], 999), hashes[k]);
        }
    }
}
