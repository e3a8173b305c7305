namespace SpikeSim.Simulator.Random;

/// <summary>
/// A counter-based random number generator: the number for (seed, stream, counter) is a hash,
/// so kernels draw without carried state and every backend and thread count draws the same
/// numbers. The mixer is SplitMix64's finaliser (Steele, Lea, Flood 2014) applied twice.
/// </summary>
public static class CounterRng
{
    /// <summary>A 64-bit hash of (seed, stream, counter).</summary>
    public static ulong Hash(ulong seed, uint stream, uint counter)
    {
        var x = seed ^ ((ulong)stream << 32 | counter) * 0x9E3779B97F4A7C15UL;
        x = Mix(x + 0x9E3779B97F4A7C15UL);
        return Mix(x ^ stream);
    }

    /// <summary>A float uniform on [0, 1) from (seed, stream, counter), with 24 random bits.</summary>
    public static float Uniform(ulong seed, uint stream, uint counter)
        => (Hash(seed, stream, counter) >> 40) * (1.0f / (1 << 24));

    /// <summary>
    /// An exponential deviate of mean <paramref name="mean"/> from (seed, stream, counter), by
    /// inversion of a 53-bit uniform on (0, 1]; host code only (it takes a logarithm).
    /// </summary>
    public static double Exponential(ulong seed, uint stream, uint counter, double mean)
        => -mean * Math.Log(((Hash(seed, stream, counter) >> 11) + 1) * (1.0 / (1UL << 53)));

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
