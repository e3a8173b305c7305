using System.Numerics;
using SpikeSim.Simulator.Neurons;
using Xunit;

namespace SpikeSim.Simulator.Tests.Neurons;

/// <summary>The vectorised steps' spike bytes: the narrowing store (AVX-512) and the table give the same bytes.</summary>
public sealed class SpikeBytesTests
{
    [Fact]
    public void Every_lane_mask_stores_one_and_zero_bytes_and_leaves_the_neighbours_alone()
    {
        var lanes = Vector<int>.Count;
        var masks = 1 << Math.Min(lanes, 16); // every mask of up to 16 lanes; wider vectors repeat the pattern
        var fast = new byte[lanes + 2];
        var table = new byte[lanes + 2];
        for (var m = 0; m < masks; m++)
        {
            var values = new int[lanes];
            for (var k = 0; k < lanes; k++) values[k] = ((m >> (k % 16)) & 1) != 0 ? -1 : 0;
            var mask = new Vector<int>(values);
            Array.Fill(fast, (byte)7);
            Array.Fill(table, (byte)7);
            SpikeBytes.Store(mask, ref fast[0], 1);
            SpikeBytes.StoreByTable(mask, ref table[0], 1);
            Assert.Equal(table, fast);
            Assert.Equal(7, fast[0]);
            Assert.Equal(7, fast[^1]);
            for (var k = 0; k < lanes; k++) Assert.Equal(values[k] != 0 ? 1 : 0, fast[1 + k]);
        }
    }
}
