using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SpikeSim.Simulator.LinearAlgebra;

/// <summary>
/// The register-blocked inner kernel of <see cref="HostGemm"/>: an MR×NR tile of C from a packed
/// MR-row sliver of A (MR values per k) and a packed NR-column sliver of B (NR values per k).
/// </summary>
internal unsafe interface IGemmMicroKernel
{
    static abstract int MR { get; }
    static abstract int NR { get; }

    /// <summary>Tile ← α·(packed A)(packed B) + β·tile, rows <paramref name="ldc"/> apart.</summary>
    static abstract void Run(float* a, float* b, int kc, float* c, int ldc, float alpha, float beta);
}

/// <summary>8×32 tile in 16 512-bit accumulators (AVX-512).</summary>
internal readonly unsafe struct MicroKernel8x32 : IGemmMicroKernel
{
    public static int MR => 8;
    public static int NR => 32;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(float* a, float* b, int kc, float* c, int ldc, float alpha, float beta)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
            c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default,
            c60 = default, c61 = default, c70 = default, c71 = default;
        for (var p = 0; p < kc; p++, a += 8, b += 32)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var x = Vector512.Create(a[0]); c00 = Vector512.FusedMultiplyAdd(x, b0, c00); c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a[1]); c10 = Vector512.FusedMultiplyAdd(x, b0, c10); c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a[2]); c20 = Vector512.FusedMultiplyAdd(x, b0, c20); c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(a[3]); c30 = Vector512.FusedMultiplyAdd(x, b0, c30); c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(a[4]); c40 = Vector512.FusedMultiplyAdd(x, b0, c40); c41 = Vector512.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(a[5]); c50 = Vector512.FusedMultiplyAdd(x, b0, c50); c51 = Vector512.FusedMultiplyAdd(x, b1, c51);
            x = Vector512.Create(a[6]); c60 = Vector512.FusedMultiplyAdd(x, b0, c60); c61 = Vector512.FusedMultiplyAdd(x, b1, c61);
            x = Vector512.Create(a[7]); c70 = Vector512.FusedMultiplyAdd(x, b0, c70); c71 = Vector512.FusedMultiplyAdd(x, b1, c71);
        }
        Store(c, c00, c01, alpha, beta); c += ldc;
        Store(c, c10, c11, alpha, beta); c += ldc;
        Store(c, c20, c21, alpha, beta); c += ldc;
        Store(c, c30, c31, alpha, beta); c += ldc;
        Store(c, c40, c41, alpha, beta); c += ldc;
        Store(c, c50, c51, alpha, beta); c += ldc;
        Store(c, c60, c61, alpha, beta); c += ldc;
        Store(c, c70, c71, alpha, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector512<float> v0, Vector512<float> v1, float alpha, float beta)
    {
        var al = Vector512.Create(alpha);
        if (beta == 0f)
        {
            (v0 * al).Store(c);
            (v1 * al).Store(c + 16);
        }
        else
        {
            var be = Vector512.Create(beta);
            Vector512.FusedMultiplyAdd(v0, al, be * Vector512.Load(c)).Store(c);
            Vector512.FusedMultiplyAdd(v1, al, be * Vector512.Load(c + 16)).Store(c + 16);
        }
    }
}

/// <summary>6×16 tile in 12 256-bit accumulators (AVX2, and the portable fallback).</summary>
internal readonly unsafe struct MicroKernel6x16 : IGemmMicroKernel
{
    public static int MR => 6;
    public static int NR => 16;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(float* a, float* b, int kc, float* c, int ldc, float alpha, float beta)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
            c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (var p = 0; p < kc; p++, a += 6, b += 16)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var x = Vector256.Create(a[0]); c00 = Vector256.FusedMultiplyAdd(x, b0, c00); c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
            x = Vector256.Create(a[1]); c10 = Vector256.FusedMultiplyAdd(x, b0, c10); c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
            x = Vector256.Create(a[2]); c20 = Vector256.FusedMultiplyAdd(x, b0, c20); c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
            x = Vector256.Create(a[3]); c30 = Vector256.FusedMultiplyAdd(x, b0, c30); c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
            x = Vector256.Create(a[4]); c40 = Vector256.FusedMultiplyAdd(x, b0, c40); c41 = Vector256.FusedMultiplyAdd(x, b1, c41);
            x = Vector256.Create(a[5]); c50 = Vector256.FusedMultiplyAdd(x, b0, c50); c51 = Vector256.FusedMultiplyAdd(x, b1, c51);
        }
        Store(c, c00, c01, alpha, beta); c += ldc;
        Store(c, c10, c11, alpha, beta); c += ldc;
        Store(c, c20, c21, alpha, beta); c += ldc;
        Store(c, c30, c31, alpha, beta); c += ldc;
        Store(c, c40, c41, alpha, beta); c += ldc;
        Store(c, c50, c51, alpha, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector256<float> v0, Vector256<float> v1, float alpha, float beta)
    {
        var al = Vector256.Create(alpha);
        if (beta == 0f)
        {
            (v0 * al).Store(c);
            (v1 * al).Store(c + 8);
        }
        else
        {
            var be = Vector256.Create(beta);
            Vector256.FusedMultiplyAdd(v0, al, be * Vector256.Load(c)).Store(c);
            Vector256.FusedMultiplyAdd(v1, al, be * Vector256.Load(c + 8)).Store(c + 8);
        }
    }
}
