using System.Runtime.Intrinsics;
using SpikeSim.Learning.Evolution;

namespace SpikeSim.Experiments.Maze;

/// <summary>Moving numbers between per-lane blocks and vectors across lanes (one lane per lifetime lived in lockstep).</summary>
internal static class LaneVectors
{
    /// <summary>Element <paramref name="index"/> of each lane's block of <paramref name="stride"/> numbers, as one vector (unused lanes 0).</summary>
    public static Vector256<float> Gather(ReadOnlySpan<float> blocks, int index, int stride, int lanes)
    {
        Span<float> values = stackalloc float[Vector256<float>.Count];
        values.Clear();
        for (var k = 0; k < lanes; k++) values[k] = blocks[k * stride + index];
        return Vector256.Create<float>(values);
    }

    /// <summary>The next <paramref name="count"/> parameters of every lane's θ, as vectors across lanes (unused lanes 0).</summary>
    public static Vector256<float>[] Take(ParameterReader[] lanes, int count)
    {
        var perLane = lanes.Select(p => p.Take(count)).ToArray();
        var result = new Vector256<float>[count];
        Span<float> values = stackalloc float[Vector256<float>.Count];
        for (var i = 0; i < count; i++)
        {
            values.Clear();
            for (var k = 0; k < perLane.Length; k++) values[k] = perLane[k][i];
            result[i] = Vector256.Create<float>(values);
        }
        return result;
    }
}
