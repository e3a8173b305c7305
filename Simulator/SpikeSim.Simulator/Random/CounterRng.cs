using System.Numerics;
using System.Runtime.CompilerServices;

namespace SpikeSim.Simulator.Random;

/// <summary>
/// A counter-based random number generator: the number for (seed, stream, counter) is a hash,
/// so kernels draw without carried state and every backend and thread count draws the same
/// numbers. The mixer is SplitMix64's finaliser (Steele, Lea, Flood 2014) applied twice.
/// </summary>
public static class CounterRng
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL, MixA = 0xBF58476D1CE4E5B9UL, MixB = 0x94D049BB133111EBUL;

    /// <summary>A 64-bit hash of (seed, stream, counter).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Hash(ulong seed, uint stream, uint counter)
    {
        var x = seed ^ ((ulong)stream << 32 | counter) * Golden;
        x = Mix(x + Golden);
        return Mix(x ^ stream);
    }

    /// <summary>
    /// <see cref="Hash(ulong, uint, uint)"/> of several streams (each lane below 2³²) at once, lane by lane the same bits
    /// (integer operations only); fast where 64-bit lanes multiply in one instruction (AVX-512 DQ).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<ulong> Hash(ulong seed, Vector<ulong> stream, uint counter)
    {
        var golden = new Vector<ulong>(Golden);
        var x = new Vector<ulong>(seed) ^ ((stream << 32) | new Vector<ulong>(counter)) * golden;
        x = Mix(x + golden);
        return Mix(x ^ stream);
    }

    /// <summary>A float uniform on [0, 1) from (seed, stream, counter), with 24 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Uniform(ulong seed, uint stream, uint counter)
        => (Hash(seed, stream, counter) >> 40) * (1.0f / (1 << 24));

    /// <summary>
    /// An exponential deviate of mean <paramref name="mean"/> from (seed, stream, counter), by
    /// inversion of a 53-bit uniform on (0, 1]; host code only (it takes a logarithm).
    /// </summary>
    public static double Exponential(ulong seed, uint stream, uint counter, double mean)
        => -mean * Math.Log(((Hash(seed, stream, counter) >> 11) + 1) * (1.0 / (1UL << 53)));

    /// <summary>
    /// A standard normal deviate from (seed, stream, counter) by the Box–Muller transform of the hash's two 32-bit halves:
    /// z = √(−2 ln u₁)·cos(2π u₂) with u₁ on (0, 1] and u₂ on [0, 1); host code only (it takes a logarithm).
    /// </summary>
    public static double Normal(ulong seed, uint stream, uint counter)
    {
        var h = Hash(seed, stream, counter);
        var u1 = ((h >> 32) + 1) * (1.0 / 4294967296.0);
        var u2 = (uint)h * (1.0 / 4294967296.0);
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>An integer uniform on [0, <paramref name="n"/>) from 32 random bits, by Lemire's multiply-shift (bias below n/2³²).</summary>
    public static int Below(uint bits, int n) => (int)((ulong)bits * (uint)n >> 32);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * MixA;
        z = (z ^ (z >> 27)) * MixB;
        return z ^ (z >> 31);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<ulong> Mix(Vector<ulong> z)
    {
        z = (z ^ (z >> 30)) * new Vector<ulong>(MixA);
        z = (z ^ (z >> 27)) * new Vector<ulong>(MixB);
        return z ^ (z >> 31);
    }
}
