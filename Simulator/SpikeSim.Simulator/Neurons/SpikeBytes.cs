using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SpikeSim.Simulator.Neurons;

/// <summary>Host helper for vectorised steps: writes a lane mask as one 0/1 byte per lane.</summary>
internal static class SpikeBytes
{
    /// <summary>Entry b holds, in byte k, bit k of b: eight flags in one 8-byte store.</summary>
    private static readonly ulong[] Expand = Enumerable.Range(0, 256)
        .Select(b => Enumerable.Range(0, 8).Aggregate(0UL, (acc, k) => acc | ((ulong)((b >> k) & 1) << (8 * k))))
        .ToArray();

    /// <summary>Stores 0/1 for each lane of <paramref name="mask"/> at <paramref name="destination"/> + <paramref name="offset"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector<int> mask, ref byte destination, nuint offset)
    {
        var bits = Vector<int>.Count switch
        {
            8 => mask.AsVector256().ExtractMostSignificantBits(),
            16 => (uint)mask.AsVector512().ExtractMostSignificantBits(),
            _ => LaneBits(mask),
        };
        for (var k = 0; k < Vector<int>.Count; k += 8)
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, offset + (nuint)k), Expand[(bits >> k) & 0xFF]);
    }

    private static uint LaneBits(Vector<int> mask)
    {
        uint bits = 0;
        for (var k = 0; k < Vector<int>.Count; k++) bits |= (uint)(mask[k] & 1) << k;
        return bits;
    }
}
