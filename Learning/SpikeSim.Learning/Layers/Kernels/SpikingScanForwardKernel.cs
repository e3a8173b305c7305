using System.Runtime.CompilerServices;
using ILGPU;
using SpikeSim.Learning.Surrogates;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Learning.Layers.Kernels;

/// <summary>
/// Forward scan of <see cref="ISpikingCell"/> over steps t₀ … t₀+count−1, one index per
/// (sample, neuron) pair j = b·N + n. Rows of h, margin and spikes are steps × samples
/// (element (t, j) at t·width + j), so consecutive indices touch consecutive memory on every step.
/// It keeps x[t] = u[t] − θ − b·a[t] (the margin) for the backward pass and writes the spikes
/// (in place of h where both views are the same); the state (u, a, s) carries over between launches
/// (the recurrent layer launches one step at a time).
/// </summary>
public readonly struct SpikingScanForwardKernel<TSurrogate> : IRangeKernel where TSurrogate : struct, ISurrogate
{
    private const int Block = 256;
    private readonly ArrayView<float> _h, _bias, _margin, _spikes, _u, _a, _s;
    private readonly int _t0, _count, _width, _neurons, _smooth;
    private readonly AdaptiveLifConstants _c;
    private readonly TSurrogate _surrogate;

    public SpikingScanForwardKernel(ArrayView<float> h, ArrayView<float> bias, ArrayView<float> margin, ArrayView<float> spikes,
        ArrayView<float> u, ArrayView<float> a, ArrayView<float> s, int t0, int count, int width, int neurons,
        AdaptiveLifConstants constants, TSurrogate surrogate, SpikeForward forward)
    {
        (_h, _bias, _margin, _spikes, _u, _a, _s) = (h, bias, margin, spikes, u, a, s);
        (_t0, _count, _width, _neurons, _c, _surrogate) = (t0, count, width, neurons, constants, surrogate);
        _smooth = forward == SpikeForward.Smooth ? 1 : 0;
    }

    /// <summary>One step of one neuron: updates (u, a, s) from the current h and returns the margin x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Step(ref float u, ref float a, ref float s, float h, in AdaptiveLifConstants c, in TSurrogate surrogate, int smooth)
    {
        var x = c.StepAtNextStep(ref u, ref a, s, h);
        s = smooth != 0 ? surrogate.Smooth(x) : x > 0f ? 1f : 0f;
        return x;
    }

    /// <inheritdoc />
    public void Execute(int j)
    {
        var bias = _bias[j % _neurons];
        float u = _u[j], a = _a[j], s = _s[j];
        for (var t = _t0; t < _t0 + _count; t++)
        {
            var i = (long)t * _width + j;
            _margin[i] = Step(ref u, ref a, ref s, _h[i] + bias, _c, _surrogate, _smooth);
            _spikes[i] = s;
        }
        _u[j] = u;
        _a[j] = a;
        _s[j] = s;
    }

    /// <inheritdoc />
    public void ExecuteRange(int start, int end)
    {
        // Blocks of neurons advance together step by step, so every step reads and writes contiguous rows.
        Span<float> h = _h.AsSpan(), bias = _bias.AsSpan(), margin = _margin.AsSpan(), spikes = _spikes.AsSpan();
        Span<float> us = _u.AsSpan(), As = _a.AsSpan(), ss = _s.AsSpan();
        Span<float> b = stackalloc float[Block];
        for (var j0 = start; j0 < end; j0 += Block)
        {
            var n = Math.Min(Block, end - j0);
            for (var k = 0; k < n; k++) b[k] = bias[(j0 + k) % _neurons];
            Span<float> u = us.Slice(j0, n), a = As.Slice(j0, n), s = ss.Slice(j0, n);
            for (var t = _t0; t < _t0 + _count; t++)
            {
                var row = t * _width + j0;
                Span<float> hr = h.Slice(row, n), mr = margin.Slice(row, n), sr = spikes.Slice(row, n);
                for (var k = 0; k < n; k++)
                {
                    mr[k] = Step(ref u[k], ref a[k], ref s[k], hr[k] + b[k], _c, _surrogate, _smooth);
                    sr[k] = s[k];
                }
            }
        }
    }
}
