using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SpikeSim.Simulator.Neurons;

/// <summary>Host helper for vectorised steps: writes a lane mask as one 0/1 byte per lane.</summary>
internal static class SpikeBytes
{
    /// <summary>Entry b holds, in byte k, bit k of b: eight flags in one 8-byte store.</summary>
    private static readonly ulong[] Expand = Enumerable.Range(0, 256)
        .Select(b => Enumerable.Range(0, 8).Aggregate(0UL, (acc, k) => acc | ((ulong)((b >> k) & 1) << (8 * k))))
        .ToArray();

    /// <summary>
    /// Stores 0/1 for each lane of <paramref name="mask"/> (lanes all ones or all zeros) at <paramref name="destination"/> +
    /// <paramref name="offset"/>. With AVX-512 each group of lanes is shifted to 0/1 and narrowed to bytes by one
    /// instruction (<c>vpmovdb</c>); elsewhere the lanes' sign bits index a table of eight bytes. Both store the same
    /// bytes; the narrowing takes a third of the instructions of the table's lookup in the neuron steps' inner loops.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector<int> mask, ref byte destination, nuint offset)
    {
        if (Vector<int>.Count == 8 && Avx512F.VL.IsSupported)
        {
            var bytes = Avx512F.VL.ConvertToVector128Byte(Vector256.ShiftRightLogical(mask.AsVector256().AsUInt32(), 31));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, offset), bytes.AsUInt64().ToScalar());
            return;
        }
        if (Vector<int>.Count == 16 && Avx512F.IsSupported)
        {
            var bytes = Avx512F.ConvertToVector128Byte(Vector512.ShiftRightLogical(mask.AsVector512().AsUInt32(), 31));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, offset), bytes);
            return;
        }
        StoreByTable(mask, ref destination, offset);
    }

    /// <summary>The table form of <see cref="Store"/>, on any machine (public to the tests, which compare the two).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreByTable(Vector<int> mask, ref byte destination, nuint offset)
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
