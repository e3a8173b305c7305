using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using ILGPU;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Random;

namespace SpikeSim.Simulator.Engines;

/// <summary>
/// Adds k·w to each neuron's input for this step, with k ~ Poisson(λ = rate·dt) drawn by inversion from one counter-based
/// uniform u per (neuron, step): k is the number of entries of the cumulative table F(0), F(1), … that are ≤ u. The host
/// computes the table once (<see cref="CumulativeTable"/>), so the kernel only compares: a loop that stops at the first entry
/// above u on a GPU, a branch-free vector count on the host (the table is non-decreasing, so both give the same k).
/// </summary>
internal readonly struct PoissonInputKernel(ArrayView<float> input, ArrayView<float> cumulative, float weight, ulong seed, int step)
    : IRangeKernel
{
    /// <summary>The table is cut where the tail 1 − F(k) falls below this: counts beyond it have probability below 2⁻²⁶.</summary>
    public const double TailCut = 1.0 / (1 << 26);

    private readonly ArrayView<float> _input = input, _cumulative = cumulative;
    private readonly float _weight = weight;
    private readonly ulong _seed = seed;
    private readonly int _step = step;

    /// <summary>
    /// F(k) = P(K ≤ k) of Poisson(<paramref name="lambda"/>), computed in double and rounded to float, up to the first k with
    /// 1 − F(k) &lt; <see cref="TailCut"/>; every entry after that is +∞ (no u reaches it), and the length is a multiple of 16
    /// so that the host can compare whole vectors.
    /// </summary>
    public static float[] CumulativeTable(double lambda)
    {
        var values = new List<float>();
        double p = Math.Exp(-lambda), cumulative = p;
        for (var k = 0; 1 - cumulative >= TailCut && k < 10_000; k++)
        {
            values.Add((float)cumulative);
            p *= lambda / (k + 1);
            cumulative += p;
        }
        var table = new float[(values.Count + 1 + 15) / 16 * 16];
        values.CopyTo(table);
        table.AsSpan(values.Count).Fill(float.PositiveInfinity);
        return table;
    }

    public void Execute(int i) => _input[i] += Count(i) * _weight;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ExecuteRange(int start, int end)
    {
        ref var input = ref MemoryMarshal.GetReference(_input.AsSpan());
        var table = MemoryMarshal.Cast<float, Vector<float>>(_cumulative.AsSpan());
        var i = start;
        if (Vector<float>.Count == 8 && Avx512DQ.VL.IsSupported) i = EightAtATime(ref input, start, end);
        for (; i < end; i++)
        {
            var u = new Vector<float>(CounterRng.Uniform(_seed, (uint)i, (uint)_step));
            var reached = Vector<int>.Zero;
            foreach (var entries in table) reached += Vector.GreaterThanOrEqual(u, entries); // −1 per entry ≤ u
            Unsafe.Add(ref input, i) += -Vector.Sum(reached) * _weight;
        }
    }

    /// <summary>
    /// The host loop eight neurons at a time where 64-bit lanes multiply in one instruction (AVX-512 DQ): the counter hash
    /// of <see cref="CounterRng.Uniform"/> lane by lane (integer operations, so the same bits), u = (h » 40)·2⁻²⁴ (exact in
    /// double and in float), then k = the number of finite table entries ≤ u and input += k·w as the scalar loop adds
    /// them. Returns where the scalar tail begins.
    /// </summary>
    private int EightAtATime(ref float input, int start, int end)
    {
        var cumulative = _cumulative.AsSpan();
        var finite = cumulative.IndexOf(float.PositiveInfinity);
        var weight = new Vector<float>(_weight);
        var lanes = Vector<ulong>.Indices;
        var i = start;
        for (; i <= end - 8; i += 8)
        {
            var low = Uniforms(_seed, new Vector<ulong>((ulong)i) + lanes, (uint)_step);
            var high = Uniforms(_seed, new Vector<ulong>((ulong)i + 4) + lanes, (uint)_step);
            var u = Vector.Narrow(low, high);
            var reached = Vector<int>.Zero;
            for (var k = 0; k < finite; k++) reached += Vector.GreaterThanOrEqual(u, new Vector<float>(cumulative[k])); // −1 per entry ≤ u
            var o = (nuint)i;
            (Vector.LoadUnsafe(ref input, o) + Vector.ConvertToSingle(-reached) * weight).StoreUnsafe(ref input, o);
        }
        return i;
    }

    /// <summary><see cref="CounterRng.Uniform"/> of a vector of streams, as doubles (exact: 24 bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<double> Uniforms(ulong seed, Vector<ulong> stream, uint counter)
        => Vector.ConvertToDouble(CounterRng.Hash(seed, stream, counter) >> 40) * new Vector<double>(1.0 / (1 << 24));

    /// <summary>The number of events neuron <paramref name="i"/> receives in this step.</summary>
    public int Count(int i)
    {
        var u = CounterRng.Uniform(_seed, (uint)i, (uint)_step);
        var k = 0;
        while (u >= _cumulative[k]) k++;
        return k;
    }
}
