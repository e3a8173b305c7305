namespace SpikeSim.Learning.Evolution;

/// <summary>Reads consecutive slices of an evolved parameter vector as floats.</summary>
public sealed class ParameterReader(ReadOnlySpan<double> theta)
{
    private readonly double[] _theta = theta.ToArray();
    private int _offset;

    public bool AtEnd => _offset == _theta.Length;

    public float[] Take(int count)
    {
        var result = new float[count];
        for (var i = 0; i < count; i++) result[i] = (float)_theta[_offset + i];
        _offset += count;
        return result;
    }
}
