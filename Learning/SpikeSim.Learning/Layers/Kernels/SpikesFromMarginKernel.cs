using ILGPU;
using SpikeSim.Learning.Surrogates;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Learning.Layers.Kernels;

/// <summary>
/// Recomputes a spiking layer's output from its stored margins: s = H(x), or σ(x) for the smooth
/// forward. The layers keep only margins, so their spikes are rebuilt where the backward pass needs them.
/// </summary>
public readonly struct SpikesFromMarginKernel<TSurrogate>(ArrayView<float> margin, ArrayView<float> spikes, TSurrogate surrogate, SpikeForward forward)
    : IRangeKernel where TSurrogate : struct, ISurrogate
{
    private readonly ArrayView<float> _margin = margin, _spikes = spikes;
    private readonly TSurrogate _surrogate = surrogate;
    private readonly int _smooth = forward == SpikeForward.Smooth ? 1 : 0;

    /// <inheritdoc />
    public void Execute(int i)
    {
        var x = _margin[i];
        _spikes[i] = _smooth != 0 ? _surrogate.Smooth(x) : x > 0f ? 1f : 0f;
    }

    /// <inheritdoc />
    public void ExecuteRange(int start, int end)
    {
        Span<float> margin = _margin.AsSpan(), spikes = _spikes.AsSpan();
        for (var i = start; i < end; i++) spikes[i] = _smooth != 0 ? _surrogate.Smooth(margin[i]) : margin[i] > 0f ? 1f : 0f;
    }
}
