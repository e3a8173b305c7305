using System.Runtime.Intrinsics;
using SpikeSim.Learning.Evolution;

namespace SpikeSim.Experiments.Maze;

/// <summary>Numbers of up to 8 lanes as one vector across the lanes (one lane per lifetime lived in lockstep).</summary>
internal static class LaneVectors
{
    /// <summary>Up to 8 numbers, one per lane, as one vector (lanes beyond <paramref name="values"/>' length 0).</summary>
    public static Vector256<float> Load(ReadOnlySpan<float> values)
    {
        if (values.Length == Vector256<float>.Count) return Vector256.Create(values);
        Span<float> padded = stackalloc float[Vector256<float>.Count];
        padded.Clear();
        values.CopyTo(padded);
        return Vector256.Create<float>(padded);
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
