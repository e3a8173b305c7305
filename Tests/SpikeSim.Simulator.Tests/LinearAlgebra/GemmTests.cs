using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.LinearAlgebra;
using SpikeSim.Tests.Support;
using Xunit;

namespace SpikeSim.Tests.LinearAlgebra;

/// <summary>Every <see cref="IGemm"/> against a double-precision triple loop.</summary>
public sealed class GemmTests
{
    public static TheoryData<MatrixOp, MatrixOp, int, int, int> Shapes()
    {
        var data = new TheoryData<MatrixOp, MatrixOp, int, int, int>();
        foreach (var opA in new[] { MatrixOp.None, MatrixOp.Transpose })
        foreach (var opB in new[] { MatrixOp.None, MatrixOp.Transpose })
        {
            data.Add(opA, opB, 1, 1, 1);
            data.Add(opA, opB, 7, 5, 3);
            data.Add(opA, opB, 8, 32, 16);
            // Ragged in every dimension and deeper than one KC slice, wider than one NC block.
            data.Add(opA, opB, 101, 67, 300);
            data.Add(opA, opB, 13, 1100, 9);
            data.Add(opA, opB, 200, 40, 530);
            // Thin and deep (a weight gradient over many rows): k cut into segments, ragged last segment.
            data.Add(opA, opB, 12, 25, 2 * 8192 + 777);
        }
        return data;
    }

    [Theory, MemberData(nameof(Shapes))]
    public void Host_gemm_matches_the_naive_product(MatrixOp opA, MatrixOp opB, int m, int n, int k)
    {
        using var backend = new HostBackend();
        using var gemm = Gemm.For(backend);
        Assert.IsType<HostGemm>(gemm);
        Check(backend, gemm, opA, opB, m, n, k);
    }

    [Theory, MemberData(nameof(Shapes))]
    public void Kernel_gemm_on_the_ilgpu_cpu_accelerator_matches_the_naive_product(MatrixOp opA, MatrixOp opB, int m, int n, int k)
    {
        if ((long)m * n * k > 200_000) return; // the CPU emulator runs one thread per element; big shapes are the host's test
        using var backend = IlgpuBackend.TryCreate(DeviceKind.IlgpuCpuEmulator)!;
        using var gemm = Gemm.For(backend);
        Assert.IsType<KernelGemm>(gemm);
        Check(backend, gemm, opA, opB, m, n, k);
    }

    [GpuFact]
    public void Cublas_matches_the_naive_product()
    {
        using var backend = Backends.Create(DeviceKind.Cuda);
        using var gemm = Gemm.For(backend);
        Assert.IsType<CublasGemm>(gemm);
        foreach (var (opA, opB, m, n, k) in Shapes().Select(r => ((MatrixOp)r[0], (MatrixOp)r[1], (int)r[2], (int)r[3], (int)r[4])))
            Check(backend, gemm, opA, opB, m, n, k);
    }

    [Fact]
    public void Beta_zero_does_not_read_c_and_k_zero_scales_c()
    {
        using var backend = new HostBackend();
        using var gemm = new HostGemm();
        using var a = backend.Allocate<float>(6);
        using var b = backend.Allocate<float>(6);
        using var c = backend.Allocate<float>(4);
        a.CopyFrom([1, 2, 3, 4, 5, 6]);
        b.CopyFrom([1, 0, 0, 1, 1, 1]);
        c.CopyFrom([float.NaN, float.NaN, float.NaN, float.NaN]);
        gemm.Multiply(MatrixOp.None, MatrixOp.None, 2, 2, 3, 1f, a.View, b.View, 0f, c.View);
        Assert.Equal([4f, 5f, 10f, 11f], c.ToArray());
        gemm.Multiply(MatrixOp.None, MatrixOp.None, 2, 2, 0, 1f, a.View, b.View, 0.5f, c.View);
        Assert.Equal([2f, 2.5f, 5f, 5.5f], c.ToArray());
    }

    [Fact]
    public void Too_small_buffers_are_refused()
    {
        using var backend = new HostBackend();
        using var gemm = new HostGemm();
        using var small = backend.Allocate<float>(5);
        using var ok = backend.Allocate<float>(6);
        Assert.Throws<ArgumentException>(() => gemm.Multiply(MatrixOp.None, MatrixOp.None, 2, 3, 3, 1f, small.View, ok.View, 0f, ok.View));
    }

    [Theory]
    [InlineData(12, 25, 40_000)]
    [InlineData(64, 300, 20_000)]
    [InlineData(100, 33, 5_000)]
    public void Host_gemm_results_do_not_depend_on_the_thread_count(int m, int n, int k)
    {
        var rng = new Random(3);
        float[] Fill(int length) => Enumerable.Range(0, length).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var (a, b, c0) = (Fill(m * k), Fill(k * n), Fill(m * n));
        float[] Run(int threads)
        {
            using var backend = new HostBackend(threads);
            using var gemm = new HostGemm(threads);
            using var da = backend.Allocate<float>(a.Length);
            using var db = backend.Allocate<float>(b.Length);
            using var dc = backend.Allocate<float>(c0.Length);
            da.CopyFrom(a);
            db.CopyFrom(b);
            dc.CopyFrom(c0);
            gemm.Multiply(MatrixOp.Transpose, MatrixOp.None, m, n, k, 1f, da.View, db.View, 0.5f, dc.View);
            return dc.ToArray();
        }
        Assert.Equal(Run(1), Run(3));
    }

    private static void Check(IComputeBackend backend, IGemm gemm, MatrixOp opA, MatrixOp opB, int m, int n, int k)
    {
        var rng = new Random(m * 7919 + n * 31 + k);
        float[] Fill(int length) => Enumerable.Range(0, length).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var a = Fill(m * k);
        var b = Fill(k * n);
        var c0 = Fill(m * n);
        const float alpha = 0.75f, beta = -0.5f;
        using var da = backend.Allocate<float>(a.Length);
        using var db = backend.Allocate<float>(b.Length);
        using var dc = backend.Allocate<float>(c0.Length);
        da.CopyFrom(a);
        db.CopyFrom(b);
        dc.CopyFrom(c0);
        gemm.Multiply(opA, opB, m, n, k, alpha, da.View, db.View, beta, dc.View);
        backend.Synchronize();
        var c = dc.ToArray();
        for (var i = 0; i < m; i++)
        for (var j = 0; j < n; j++)
        {
            double sum = 0, abs = 0;
            for (var p = 0; p < k; p++)
            {
                var x = (double)a[opA == MatrixOp.None ? i * k + p : p * m + i] * b[opB == MatrixOp.None ? p * n + j : j * k + p];
                sum += x;
                abs += Math.Abs(x);
            }
            var expected = alpha * sum + beta * c0[i * n + j];
            Assert.True(Math.Abs(c[i * n + j] - expected) <= 1e-6 * (abs + 1) * 4,
                $"{opA}{opB} {m}×{n}×{k}: C[{i},{j}] = {c[i * n + j]}, expected {expected}");
        }
    }
}
