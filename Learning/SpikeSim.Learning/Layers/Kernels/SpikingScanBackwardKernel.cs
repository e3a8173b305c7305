using System.Runtime.CompilerServices;
using ILGPU;
using SpikeSim.Learning.Surrogates;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Learning.Layers.Kernels;

/// <summary>
/// Reverse scan of <see cref="ISpikingCell"/> over steps t₀, t₀−1, … t₀−count+1 (one index per
/// (sample, neuron) pair). On entry <c>grad</c> holds ∂L/∂s[t] from above; on exit it holds
/// ∂L/∂h[t], in place. With x[t] the stored margin and σ′ the surrogate:
/// <code>
/// ĝs[t] = ∂L/∂s[t] + ga[t+1] − θ·gu[t+1]·[reset propagated]
/// gu[t] = ĝs[t]·σ′(x[t]) + β·gu[t+1]            (= ∂L/∂h[t]; β·(1 − s[t]) with reset to zero, s detached)
/// ga[t] = −b·ĝs[t]·σ′(x[t]) + ρ·ga[t+1]
/// </code>
/// The adjoints gu, ga carry over between launches.
/// </summary>
public readonly struct SpikingScanBackwardKernel<TSurrogate> : IRangeKernel where TSurrogate : struct, ISurrogate
{
    private const int Block = 256;
    private readonly ArrayView<float> _margin, _grad, _gu, _ga;
    private readonly int _t0, _count, _width, _propagateReset, _smooth;
    private readonly AdaptiveLifConstants _c;
    private readonly TSurrogate _surrogate;

    public SpikingScanBackwardKernel(ArrayView<float> margin, ArrayView<float> grad, ArrayView<float> gu, ArrayView<float> ga,
        int t0, int count, int width, AdaptiveLifConstants constants, TSurrogate surrogate, ResetGradient reset, SpikeForward forward)
    {
        _smooth = forward == SpikeForward.Smooth ? 1 : 0;
        (_margin, _grad, _gu, _ga) = (margin, grad, gu, ga);
        (_t0, _count, _width, _c, _surrogate) = (t0, count, width, constants, surrogate);
        _propagateReset = reset == ResetGradient.Propagated ? 1 : 0;
    }

    /// <summary>One reverse step of one neuron: updates the adjoints (gu, ga) and returns ∂L/∂h[t] = gu[t].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Step(ref float gu, ref float ga, float gradSpike, float margin, in AdaptiveLifConstants c, in TSurrogate surrogate,
        int propagateReset, int smooth)
    {
        var gs = gradSpike + ga - (propagateReset != 0 ? c.Threshold * gu : 0f);
        var gx = gs * surrogate.Derivative(margin);
        var keep = c.ResetsToZero ? 1f - (smooth != 0 ? surrogate.Smooth(margin) : margin > 0f ? 1f : 0f) : 1f;
        gu = gx + c.MembraneDecay * keep * gu;
        ga = c.DecayAdapt * ga - c.Beta * gx;
        return gu;
    }

    /// <inheritdoc />
    public void Execute(int j)
    {
        float gu = _gu[j], ga = _ga[j];
        for (var t = _t0; t > _t0 - _count; t--)
        {
            var i = (long)t * _width + j;
            _grad[i] = Step(ref gu, ref ga, _grad[i], _margin[i], _c, _surrogate, _propagateReset, _smooth);
        }
        _gu[j] = gu;
        _ga[j] = ga;
    }

    /// <inheritdoc />
    public void ExecuteRange(int start, int end)
    {
        Span<float> margin = _margin.AsSpan(), grad = _grad.AsSpan(), gus = _gu.AsSpan(), gas = _ga.AsSpan();
        for (var j0 = start; j0 < end; j0 += Block)
        {
            var n = Math.Min(Block, end - j0);
            Span<float> gu = gus.Slice(j0, n), ga = gas.Slice(j0, n);
            for (var t = _t0; t > _t0 - _count; t--)
            {
                var row = t * _width + j0;
                Span<float> gr = grad.Slice(row, n), mr = margin.Slice(row, n);
                for (var k = 0; k < n; k++) gr[k] = Step(ref gu[k], ref ga[k], gr[k], mr[k], _c, _surrogate, _propagateReset, _smooth);
            }
        }
    }
}
