using ILGPU;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Learning.Plasticity.Kernels;

// Forward kernels of one step t of SpikingPlasticRnn. Tapes: X [T, B, I], V [T, B, N], S and Z [T+1, B, N] with
// row block 0 the zero state before the episode (block t+1 holds step t), P [T+1, B, N, N] likewise, heads
// H [T, B, K] and the modulation M [T, B]. Row = postsynaptic throughout.

/// <summary>
/// One LIF step of neuron (b, i), the membrane update being the trainable layers' (<see cref="AdaptiveLifConstants.StepAtNextStep"/>):
/// <code>
/// u = b_i + Σ_j W_in[i, j]·x[b, j] + Σ_j (W[i, j] + α[i, j]·P(t−1)[b, i, j])·z(t−1)[b, j]
/// v(t) = β·v(t−1) + u − θ·s(t−1)[b, i]     s(t) = H(v(t) − θ)     z(t) = λ·z(t−1) + step·s(t)
/// </code>
/// </summary>
public readonly struct PlasticNeuronStepKernel(PlasticRnnConstants c, int t, ArrayView<float> x, ArrayView<float> inputWeight,
    ArrayView<float> bias, ArrayView<float> weight, ArrayView<float> alpha, ArrayView<float> p,
    ArrayView<float> v, ArrayView<float> s, ArrayView<float> z) : IRangeKernel
{
    private readonly PlasticRnnConstants _c = c;
    private readonly int _t = t;
    private readonly ArrayView<float> _x = x, _win = inputWeight, _bias = bias, _w = weight, _alpha = alpha, _p = p, _v = v, _s = s, _z = z;

    /// <inheritdoc />
    public void Execute(int index)
    {
        int n = _c.Hidden, ni = _c.Inputs, b = index / n, i = index % n;
        var u = _bias[i];
        var xRow = (long)(_t * _c.Batch + b) * ni;
        for (var j = 0; j < ni; j++) u += _win[(long)i * ni + j] * _x[xRow + j];
        var previous = (long)_t * _c.Neurons + (long)b * n;
        var pRow = _t * _c.Synapses + ((long)b * n + i) * n;
        for (var j = 0; j < n; j++)
        {
            var w = _w[(long)i * n + j];
            if (_c.Plastic != 0) w += _alpha[(long)i * n + j] * _p[pRow + j];
            u += w * _z[previous + j];
        }
        var vNow = _t > 0 ? _v[(long)(_t - 1) * _c.Neurons + index] : 0f;
        var spike = Fire(ref vNow, _s[previous + i], u);
        _v[(long)_t * _c.Neurons + index] = vNow;
        _s[(long)(_t + 1) * _c.Neurons + index] = spike;
        _z[(long)(_t + 1) * _c.Neurons + index] = _c.TraceDecay * _z[previous + i] + _c.TraceGain * spike;
    }

    // The LIF step: v ← β·v + u − θ·s_previous, spike where v > θ (no adaptation).
    private float Fire(ref float v, float sPrevious, float u)
    {
        var adaptation = 0f;
        return _c.Scan.StepAtNextStep(ref v, ref adaptation, sPrevious, u) > 0f ? 1f : 0f;
    }

    /// <inheritdoc />
    public void ExecuteRange(int start, int end)
    {
        int n = _c.Hidden, ni = _c.Inputs;
        Span<float> x = _x.AsSpan(), win = _win.AsSpan(), w = _w.AsSpan(), alpha = _alpha.AsSpan(), p = _p.AsSpan();
        Span<float> v = _v.AsSpan(), s = _s.AsSpan(), z = _z.AsSpan(), bias = _bias.AsSpan();
        for (var index = start; index < end; index++)
        {
            int b = index / n, i = index % n;
            var xRow = x.Slice((_t * _c.Batch + b) * ni, ni);
            var wIn = win.Slice(i * ni, ni);
            var u = bias[i];
            for (var j = 0; j < ni; j++) u += wIn[j] * xRow[j];
            var previous = _t * _c.Neurons + b * n;
            var sPrevious = s.Slice(previous, n);
            var zPrevious = z.Slice(previous, n);
            var wRow = w.Slice(i * n, n);
            if (_c.Plastic != 0)
            {
                var aRow = alpha.Slice(i * n, n);
                var pRow = p.Slice((int)(_t * _c.Synapses) + (b * n + i) * n, n);
                for (var j = 0; j < n; j++) u += (wRow[j] + aRow[j] * pRow[j]) * zPrevious[j];
            }
            else
            {
                for (var j = 0; j < n; j++) u += wRow[j] * zPrevious[j];
            }
            var vNow = _t > 0 ? v[(_t - 1) * _c.Neurons + index] : 0f;
            var spike = Fire(ref vNow, sPrevious[i], u);
            v[_t * _c.Neurons + index] = vNow;
            s[(_t + 1) * _c.Neurons + index] = spike;
            z[(_t + 1) * _c.Neurons + index] = _c.TraceDecay * z[previous + i] + _c.TraceGain * spike;
        }
    }
}

/// <summary>Readout of step t from the traces: heads[b, k] = r_k + Σ_i R[k, i]·z(t)[b, i] (policy logits, value, modulator).</summary>
public readonly struct PlasticReadoutKernel(PlasticRnnConstants c, int t, ArrayView<float> z, ArrayView<float> readout,
    ArrayView<float> readoutBias, ArrayView<float> heads) : IRangeKernel
{
    private readonly PlasticRnnConstants _c = c;
    private readonly int _t = t;
    private readonly ArrayView<float> _z = z, _r = readout, _rb = readoutBias, _h = heads;

    /// <inheritdoc />
    public void Execute(int index)
    {
        int k = index % _c.Heads, b = index / _c.Heads, n = _c.Hidden;
        var sum = _rb[k];
        var zRow = (long)(_t + 1) * _c.Neurons + (long)b * n;
        for (var i = 0; i < n; i++) sum += _r[(long)k * n + i] * _z[zRow + i];
        _h[(long)_t * _c.Batch * _c.Heads + index] = sum;
    }

    /// <inheritdoc />
    public void ExecuteRange(int start, int end)
    {
        for (var index = start; index < end; index++) Execute(index);
    }
}

/// <summary>The modulation of sample b at step t: M = tanh(modulator head) where modulated, else the learned scalar η.</summary>
public readonly struct ModulationKernel(PlasticRnnConstants c, int t, ArrayView<float> heads, ArrayView<float> eta, ArrayView<float> m) : IRangeKernel
{
    private readonly PlasticRnnConstants _c = c;
    private readonly int _t = t;
    private readonly ArrayView<float> _h = heads, _eta = eta, _m = m;

    /// <inheritdoc />
    public void Execute(int b)
    {
        var pre = _h[((long)_t * _c.Batch + b) * _c.Heads + _c.ModulatorHead];
        _m[(long)_t * _c.Batch + b] = _c.Modulated != 0 ? MathF.Tanh(pre) : _eta[0];
    }

    /// <inheritdoc />
    public void ExecuteRange(int start, int end)
    {
        for (var index = start; index < end; index++) Execute(index);
    }
}

/// <summary>
/// The Hebbian update of synapse (b, i, j) after step t, from the spike traces:
/// P(t)[b, i, j] = clip(P(t−1)[b, i, j] + M[b]·z(t)[b, i]·z(t−1)[b, j], −1, 1).
/// </summary>
public readonly struct HebbianTraceKernel(PlasticRnnConstants c, int t, ArrayView<float> z, ArrayView<float> m, ArrayView<float> p) : IRangeKernel
{
    private readonly PlasticRnnConstants _c = c;
    private readonly int _t = t;
    private readonly ArrayView<float> _z = z, _m = m, _p = p;

    /// <inheritdoc />
    public void Execute(int index)
    {
        int n = _c.Hidden, j = index % n, row = index / n, b = row / n;
        var hebb = _m[(long)_t * _c.Batch + b] * _z[(long)(_t + 1) * _c.Neurons + row] * _z[(long)_t * _c.Neurons + (long)b * n + j];
        var next = _p[_t * _c.Synapses + index] + hebb;
        _p[(_t + 1) * _c.Synapses + index] = next > 1f ? 1f : next < -1f ? -1f : next;
    }

    /// <inheritdoc />
    public void ExecuteRange(int start, int end)
    {
        int n = _c.Hidden;
        Span<float> z = _z.AsSpan(), m = _m.AsSpan();
        var before = _p.AsSpan().Slice((int)(_t * _c.Synapses), (int)_c.Synapses);
        var after = _p.AsSpan().Slice((int)((_t + 1) * _c.Synapses), (int)_c.Synapses);
        for (var index = start; index < end;)
        {
            int row = index / n, b = row / n, j0 = index % n, count = Math.Min(n - j0, end - index);
            var scale = m[_t * _c.Batch + b] * z[(_t + 1) * _c.Neurons + row];
            var pre = z.Slice(_t * _c.Neurons + b * n + j0, count);
            var from = before.Slice(index, count);
            var to = after.Slice(index, count);
            for (var j = 0; j < count; j++)
            {
                var next = from[j] + scale * pre[j];
                to[j] = next > 1f ? 1f : next < -1f ? -1f : next;
            }
            index += count;
        }
    }
}
