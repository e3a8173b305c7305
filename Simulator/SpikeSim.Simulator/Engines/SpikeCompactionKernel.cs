using System.Numerics;
using ILGPU;
using ILGPU.Algorithms;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Simulator.Engines;

/// <summary>
/// Turns a population's spike flags into a list of the neurons that fired and their count
/// (<c>count[0]</c> must be zero before). On a GPU the list's order is the order of the atomic
/// increments; on the host it is ascending.
/// </summary>
internal readonly struct SpikeCompactionKernel(ArrayView<byte> flags, ArrayView<int> list, ArrayView<int> count) : IScatterKernel
{
    private readonly ArrayView<byte> _flags = flags;
    private readonly ArrayView<int> _list = list, _count = count;

    public void Execute(int i)
    {
        if (_flags[i] == 0) return;
        _list[Atomic.Add(ref _count[0], 1)] = i;
    }

    public void ExecuteRange(int start, int end)
    {
        var flags = _flags.AsSpan();
        var list = _list.AsSpan();
        var n = _count.AsSpan()[0];
        var w = Vector<byte>.Count;
        var i = start;
        for (; i <= end - w; i += w)
        {
            if (Vector.EqualsAll(new Vector<byte>(flags[i..]), Vector<byte>.Zero)) continue;
            for (var k = i; k < i + w; k++)
                if (flags[k] != 0) list[n++] = k;
        }
        for (; i < end; i++)
            if (flags[i] != 0) list[n++] = i;
        _count.AsSpan()[0] = n;
    }
}
