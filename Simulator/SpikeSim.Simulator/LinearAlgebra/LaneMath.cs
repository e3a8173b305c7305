using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SpikeSim.Simulator.LinearAlgebra;

/// <summary>
/// tanh and exp on 8 float lanes at once, in plain IEEE multiplies, adds and divides (no fused multiply-add, no
/// library call): the same bits on every machine, operating system and instruction set, and for every lane count —
/// where MathF.Tanh and MathF.Exp are whatever the platform's C library returns. For networks evaluated in lockstep
/// (many maze lifetimes in one pass), and for results that must not depend on which machine of a cluster ran them.
/// </summary>
public static class LaneMath
{
    /// <summary>
    /// tanh(x) as the rational minimax approximation p(x)/q(x) of degree 13/6 that Eigen uses for float
    /// (<c>generic_fast_tanh_float</c>), with x clamped to ±7.9988 (beyond which it stays within 2e-7 of ±1) and tanh(x) = x for
    /// |x| &lt; 0.0004; within 4e-7 of tanh everywhere (tested).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> a)
    {
        var x = Vector256.Max(Vector256.Min(a, Vector256.Create(7.99881172180175781f)), Vector256.Create(-7.99881172180175781f));
        var x2 = x * x;
        var p = x2 * Vector256.Create(-2.76076847742355e-16f) + Vector256.Create(2.00018790482477e-13f);
        p = x2 * p + Vector256.Create(-8.60467152213735e-11f);
        p = x2 * p + Vector256.Create(5.12229709037114e-08f);
        p = x2 * p + Vector256.Create(1.48572235717979e-05f);
        p = x2 * p + Vector256.Create(6.37261928875436e-04f);
        p = x2 * p + Vector256.Create(4.89352455891786e-03f);
        p = x * p;
        var q = x2 * Vector256.Create(1.19825839466702e-06f) + Vector256.Create(1.18534705686654e-04f);
        q = x2 * q + Vector256.Create(2.26843463243900e-03f);
        q = x2 * q + Vector256.Create(4.89352518554385e-03f);
        return Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(a), Vector256.Create(0.0004f)), a, p / q);
    }

    /// <summary>
    /// e^x by Cody–Waite reduction x = n·ln 2 + r (|r| ≤ ½ ln 2, ln 2 split in two parts) and Cephes' degree-6
    /// polynomial for e^r, scaled by 2^n through the exponent bits; x clamped to [−87.3, 88.7] (no overflow to ∞, no
    /// denormals); within 2 ulp of e^x (tested).
    /// </summary>
    public static Vector256<float> Exp(Vector256<float> a)
    {
        var x = Vector256.Max(Vector256.Min(a, Vector256.Create(88.3762626647949f)), Vector256.Create(-87.3365447505531f));
        var n = Vector256.Floor(x * Vector256.Create(1.44269504088896341f) + Vector256.Create(0.5f));
        var r = x - n * Vector256.Create(0.693359375f) - n * Vector256.Create(-2.12194440e-4f);
        var p = r * Vector256.Create(1.9875691500E-4f) + Vector256.Create(1.3981999507E-3f);
        p = r * p + Vector256.Create(8.3334519073E-3f);
        p = r * p + Vector256.Create(4.1665795894E-2f);
        p = r * p + Vector256.Create(1.6666665459E-1f);
        p = r * p + Vector256.Create(5.0000001201E-1f);
        p = r * r * p + r + Vector256<float>.One;
        var scale = Vector256.ShiftLeft(Vector256.ConvertToInt32(n) + Vector256.Create(127), 23).AsSingle();
        return p * scale;
    }

    /// <summary>1 / (1 + e^−x), by <see cref="Exp(Vector256{float})"/>.</summary>
    public static Vector256<float> Sigmoid(Vector256<float> x) => Vector256<float>.One / (Vector256<float>.One + Exp(-x));

    /// <summary><see cref="Tanh(Vector256{float})"/> of every vector of <paramref name="values"/>, in place (independent vectors, so their polynomials overlap).</summary>
    public static void Tanh(Span<Vector256<float>> values)
    {
        for (var i = 0; i < values.Length; i++) values[i] = Tanh(values[i]);
    }

    /// <summary><see cref="Tanh(Vector256{float})"/> of one number: the same bits as any lane of the vector form.</summary>
    public static float Tanh(float x) => Tanh(Vector256.Create(x)).ToScalar();

    /// <summary><see cref="Exp(Vector256{float})"/> of one number: the same bits as any lane of the vector form.</summary>
    public static float Exp(float x) => Exp(Vector256.Create(x)).ToScalar();
}
