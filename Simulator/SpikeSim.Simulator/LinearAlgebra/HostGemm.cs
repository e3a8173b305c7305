using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using ILGPU;
using ILGPU.Runtime;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Simulator.LinearAlgebra;

/// <summary>
/// <see cref="IGemm"/> on the CPU: Goto/BLIS blocking in C#. For each NC-column block and KC-deep
/// slice, op(B) is packed once into NR-wide slivers; the MC-row blocks of op(A) are packed into
/// MR-high slivers and shared out among threads; an MR×NR register-blocked micro-kernel
/// (<see cref="MicroKernel8x32"/> on AVX-512, else <see cref="MicroKernel6x16"/>) does the FMAs.
/// Packing absorbs the transposes, so NN, NT, TN and TT all run the same micro-kernel.
/// Ragged edges are packed with zeros and computed into a scratch tile.
/// </summary>
/// <remarks>One product at a time per instance (calls are serialised); results do not depend on the thread count.</remarks>
public sealed unsafe class HostGemm : IGemm
{
    private const int KC = 256, MC = 96, NC = 1024;
    // Products below this many multiply-adds run on the calling thread.
    private const long ParallelThreshold = 1L << 20;
    // Thin, deep products (at most two row blocks, k at least two segments: a weight gradient Gᵀ·X summed over many rows)
    // have too few row blocks to share out; their k is cut into segments of at least this length.
    private const int KSegment = 8192;

    private readonly int _threads;
    private readonly float*[] _bPacks;
    private readonly float*[] _aPacks;
    private readonly float*[] _tiles;
    private readonly object _gate = new();
    private bool _disposed;

    /// <summary>Creates a GEMM that uses up to <paramref name="threads"/> threads (default: all cores).</summary>
    public HostGemm(int threads = 0)
    {
        _threads = threads <= 0 ? Environment.ProcessorCount : threads;
        // One packed B per thread: the row-block path shares the first, each segment of a segmented product has its own.
        _bPacks = new float*[_threads];
        for (var t = 0; t < _threads; t++) _bPacks[t] = Alloc(KC * NC);
        _aPacks = new float*[_threads];
        _tiles = new float*[_threads];
        for (var t = 0; t < _threads; t++) { _aPacks[t] = Alloc(MC * KC); _tiles[t] = Alloc(8 * 32); }
    }

    /// <summary>The micro-kernel this machine runs, e.g. "8×32 AVX-512".</summary>
    public static string MicroKernelName => Vector512.IsHardwareAccelerated ? "8×32 Vector512" : "6×16 Vector256";

    /// <inheritdoc />
    public void Multiply(MatrixOp opA, MatrixOp opB, int m, int n, int k,
        float alpha, ArrayView<float> a, ArrayView<float> b, float beta, ArrayView<float> c)
    {
        GemmShape.Check(m, n, k, a, b, c);
        Multiply(opA, opB, m, n, k, alpha, Ptr(a), Ptr(b), beta, Ptr(c));
    }

    /// <summary>The same product on raw host pointers (row-major, dense).</summary>
    public void Multiply(MatrixOp opA, MatrixOp opB, int m, int n, int k,
        float alpha, float* a, float* b, float beta, float* c)
    {
        if (m == 0 || n == 0) return;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var p = new Product(opA, opB, m, n, k, alpha, a, b, beta, c);
            if (Vector512.IsHardwareAccelerated) Run<MicroKernel8x32>(p);
            else Run<MicroKernel6x16>(p);
        }
    }

    private readonly struct Product(MatrixOp opA, MatrixOp opB, int m, int n, int k,
        float alpha, float* a, float* b, float beta, float* c)
    {
        public readonly MatrixOp OpA = opA, OpB = opB;
        public readonly int M = m, N = n, K = k;
        public readonly float Alpha = alpha, Beta = beta;
        public readonly float* A = a, B = b, C = c;
    }

    private void Run<TKernel>(Product p) where TKernel : struct, IGemmMicroKernel
    {
        if (p.K == 0)
        {
            ScaleC(p);
            return;
        }
        var blocks = (p.M + MC - 1) / MC;
        if (blocks <= 2 && p.K >= 2 * KSegment)
        {
            RunSegmented<TKernel>(p, blocks);
            return;
        }
        var workers = (long)p.M * p.N * p.K < ParallelThreshold ? 1 : Math.Min(_threads, blocks);
        for (var jc = 0; jc < p.N; jc += NC)
        {
            var nc = Math.Min(NC, p.N - jc);
            for (var pc = 0; pc < p.K; pc += KC)
            {
                var kc = Math.Min(KC, p.K - pc);
                var beta = pc == 0 ? p.Beta : 1f;
                PackB<TKernel>(p, _bPacks[0], pc, kc, jc, nc);
                if (workers == 1) RowBlocks<TKernel>(p, 0, _bPacks[0], 0, 1, blocks, pc, kc, jc, nc, beta);
                else Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers },
                    w => RowBlocks<TKernel>(p, w, _bPacks[0], w, workers, blocks, pc, kc, jc, nc, beta));
            }
        }
    }

    /// <summary>
    /// A thin, deep product: k cut into segments whose length depends on k alone, each segment's product computed (by any
    /// worker) into its own partial C, and the partials added to β·C in segment order — the same sums in the same order
    /// for any thread count.
    /// </summary>
    private void RunSegmented<TKernel>(Product p, int blocks) where TKernel : struct, IGemmMicroKernel
    {
        var segment = Math.Max(KSegment, (p.K + 63) / 64);
        var segments = (p.K + segment - 1) / segment;
        var cells = (long)p.M * p.N;
        var partials = new float[segments * cells];
        fixed (float* partial = partials)
        {
            var basePtr = partial;
            void Segment(int worker, int s)
            {
                var q = new Product(p.OpA, p.OpB, p.M, p.N, p.K, p.Alpha, p.A, p.B, 0f, basePtr + s * cells);
                int k0 = s * segment, k1 = Math.Min(p.K, k0 + segment);
                for (var jc = 0; jc < p.N; jc += NC)
                {
                    var nc = Math.Min(NC, p.N - jc);
                    for (var pc = k0; pc < k1; pc += KC)
                    {
                        var kc = Math.Min(KC, k1 - pc);
                        PackB<TKernel>(q, _bPacks[worker], pc, kc, jc, nc);
                        RowBlocks<TKernel>(q, worker, _bPacks[worker], 0, 1, blocks, pc, kc, jc, nc, pc == k0 ? 0f : 1f);
                    }
                }
            }
            var workers = Math.Min(_threads, segments);
            if (workers == 1) for (var s = 0; s < segments; s++) Segment(0, s);
            else Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
            {
                for (var s = w; s < segments; s += workers) Segment(w, s);
            });
            var c = new Span<float>(p.C, checked((int)cells));
            for (var i = 0; i < c.Length; i++)
            {
                var sum = p.Beta == 0f ? 0f : p.Beta * c[i];
                for (var s = 0; s < segments; s++) sum += partial[s * cells + i];
                c[i] = sum;
            }
        }
    }

    // Row blocks first, first + step, … of one (pc, jc) panel, on worker's A pack and tile, against the packed B.
    private void RowBlocks<TKernel>(Product p, int worker, float* bPack, int first, int step, int blocks, int pc, int kc, int jc, int nc, float beta)
        where TKernel : struct, IGemmMicroKernel
    {
        var aPack = _aPacks[worker];
        var tile = _tiles[worker];
        int mr = TKernel.MR, nr = TKernel.NR;
        for (var block = first; block < blocks; block += step)
        {
            var ic = block * MC;
            var mc = Math.Min(MC, p.M - ic);
            PackA<TKernel>(p, aPack, ic, mc, pc, kc);
            for (var jr = 0; jr < nc; jr += nr)
            {
                var nValid = Math.Min(nr, nc - jr);
                var bSliver = bPack + (long)jr * kc;
                for (var ir = 0; ir < mc; ir += mr)
                {
                    var mValid = Math.Min(mr, mc - ir);
                    var aSliver = aPack + (long)ir * kc;
                    var cTile = p.C + (long)(ic + ir) * p.N + jc + jr;
                    if (mValid == mr && nValid == nr)
                    {
                        TKernel.Run(aSliver, bSliver, kc, cTile, p.N, p.Alpha, beta);
                        continue;
                    }
                    TKernel.Run(aSliver, bSliver, kc, tile, nr, 1f, 0f);
                    for (var i = 0; i < mValid; i++)
                    for (var j = 0; j < nValid; j++)
                    {
                        ref var cij = ref cTile[(long)i * p.N + j];
                        cij = beta == 0f ? p.Alpha * tile[i * nr + j] : p.Alpha * tile[i * nr + j] + beta * cij;
                    }
                }
            }
        }
    }

    // A sliver: for each k, MR consecutive rows of op(A); rows past the edge are zero.
    private static void PackA<TKernel>(Product p, float* pack, int ic, int mc, int pc, int kc) where TKernel : struct, IGemmMicroKernel
    {
        var mr = TKernel.MR;
        for (var ir = 0; ir < mc; ir += mr)
        {
            var dst = pack + (long)ir * kc;
            var rows = Math.Min(mr, mc - ir);
            for (var q = 0; q < kc; q++, dst += mr)
            {
                for (var r = 0; r < rows; r++) dst[r] = p.A[GemmShape.Index(p.OpA, ic + ir + r, pc + q, p.M, p.K)];
                for (var r = rows; r < mr; r++) dst[r] = 0f;
            }
        }
    }

    // B sliver: for each k, NR consecutive columns of op(B); columns past the edge are zero.
    private static void PackB<TKernel>(Product p, float* pack, int pc, int kc, int jc, int nc) where TKernel : struct, IGemmMicroKernel
    {
        var nr = TKernel.NR;
        for (var jr = 0; jr < nc; jr += nr)
        {
            var dst = pack + (long)jr * kc;
            var cols = Math.Min(nr, nc - jr);
            for (var q = 0; q < kc; q++, dst += nr)
            {
                if (p.OpB == MatrixOp.None)
                {
                    new ReadOnlySpan<float>(p.B + (long)(pc + q) * p.N + jc + jr, cols).CopyTo(new Span<float>(dst, cols));
                }
                else
                {
                    var src = p.B + (long)(jc + jr) * p.K + pc + q;
                    for (var j = 0; j < cols; j++) dst[j] = src[(long)j * p.K];
                }
                for (var j = cols; j < nr; j++) dst[j] = 0f;
            }
        }
    }

    private static void ScaleC(Product p)
    {
        var c = new Span<float>(p.C, checked(p.M * p.N));
        if (p.Beta == 0f) c.Clear();
        else foreach (ref var x in c) x *= p.Beta;
    }

    private static float* Ptr(ArrayView<float> view) => view.Length == 0 ? null : (float*)view.LoadEffectiveAddressAsPtr();

    private static float* Alloc(int floats) => (float*)NativeMemory.AlignedAlloc((nuint)floats * sizeof(float), 64);

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (var b in _bPacks) NativeMemory.AlignedFree(b);
            foreach (var a in _aPacks) NativeMemory.AlignedFree(a);
            foreach (var t in _tiles) NativeMemory.AlignedFree(t);
        }
    }
}
