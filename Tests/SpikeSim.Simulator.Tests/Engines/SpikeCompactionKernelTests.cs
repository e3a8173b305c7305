using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Engines;
using Xunit;

namespace SpikeSim.Tests.Engines;

/// <summary>The host's spike compaction (skipping a vector of flags at a time where none is set) lists exactly the neurons whose flag is set, in ascending order.</summary>
public sealed class SpikeCompactionKernelTests
{
    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(0.003, 0)]
    [InlineData(0.3, 3)]
    [InlineData(1.0, 7)]
    public void The_list_is_every_flagged_neuron_in_order_after_those_listed_before(double density, int start)
    {
        const int n = 1061, before = 2;
        var rng = new SpikeSim.Simulator.Random.Xoshiro256(11);
        // Flags are 0 or 1 as the neuron steps write them; a few other non-zero values too, which count as a spike.
        var flags = Enumerable.Range(0, n).Select(i => rng.NextDouble() < density ? (byte)(i % 13 == 0 ? 0xFF : 1) : (byte)0).ToArray();
        using var backend = new HostBackend(threads: 1);
        using var flagBuffer = backend.Allocate<byte>(n);
        using var list = backend.Allocate<int>(n + before);
        using var count = backend.Allocate<int>(1);
        flagBuffer.CopyFrom(flags);
        list.CopyFrom([-7, -8, .. new int[n]]);
        count.CopyFrom([before]);

        new SpikeCompactionKernel(flagBuffer.View, list.View, count.View).ExecuteRange(start, n);

        int[] expected = [-7, -8, .. Enumerable.Range(start, n - start).Where(i => flags[i] != 0)];
        Assert.Equal(expected.Length, count.HostSpan[0]);
        Assert.Equal(expected, list.HostSpan[..expected.Length].ToArray());
    }
}
