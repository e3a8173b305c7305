using ILGPU;
using SpikeSim.Learning.Surrogates;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Learning.Plasticity.Kernels;

// Reverse kernels of step t of SpikingPlasticRnn, launched for t = T−1 … 0 in the order they appear here. The
// adjoints carried between steps: gP = ∂L/∂P(t) [B, N, N] and gz, gv, gs = ∂L/∂z(t), ∂L/∂v(t), ∂L/∂s(t) from
// the steps after t [B, N]. GH [T, B, K] holds ∂L/∂heads (policy and value columns from the caller; the
// modulator column is written here) and GU [T, B, N] receives ∂L/∂u(t), from which the weight gradients follow.

/// <summary>
/// Through the clip of the Hebbian update of row (b, i): gP[b, i, j] ← gP·[|P(t−1) + M·z_i(t)·z_j(t−1)| ≤ 1] in
/// place (the part of ∂L/∂P(t) that reaches P(t−1) and the Hebbian term), and
/// rowHebb[b, i] = Σ_j gP[b, i, j]·z_j(t−1) (∂L/∂z_i(t) = M·rowHebb; ∂L/∂M = Σ_i rowHebb·z_i(t)).
/// </summary>
public readonly struct HebbianRowBackwardKernel(PlasticRnnConstants c, int t, ArrayView<float> z, ArrayView<float> m,
    ArrayView<float> p, ArrayView<float> gradP, ArrayView<float> rowHebb) : IRangeKernel
{
    private readonly PlasticRnnConstants _c = c;
    private readonly int _t = t;
    private readonly ArrayView<float> _z = z, _m = m, _p = p, _gp = gradP, _row = rowHebb;

    /// <inheritdoc />
    public void Execute(int row)
    {
        int n = _c.Hidden, b = row / n;
        var mz = _m[(long)_t * _c.Batch + b] * _z[(long)(_t + 1) * _c.Neurons + row];
        var pre = (long)_t * _c.Neurons + (long)b * n;
        var sum = 0f;
        for (var j = 0; j < n; j++)
        {
            var index = (long)row * n + j;
            var q = _p[_t * _c.Synapses + index] + mz * _z[pre + j];
            var g = q >= -1f && q <= 1f ? _gp[index] : 0f;
            _gp[index] = g;
            sum += g * _z[pre + j];
        }
        _row[row] = sum;
    }

    /// <inheritdoc />
    public void ExecuteRange(int start, int end)
    {
        int n = _c.Hidden;
        Span<float> z = _z.AsSpan(), gp = _gp.AsSpan();
        var before = _p.AsSpan().Slice((int)(_t * _c.Synapses), (int)_c.Synapses);
        for (var row = start; row < end; row++)
        {
            var b = row / n;
            var mz = _m[(long)_t * _c.Batch + b] * z[(_t + 1) * _c.Neurons + row];
            var pre = z.Slice(_t * _c.Neurons + b * n, n);
            var p = before.Slice(row * n, n);
            var g = gp.Slice(row * n, n);
            var sum = 0f;
            for (var j = 0; j < n; j++)
            {
                var q = p[j] + mz * pre[j];
                if (!(q >= -1f && q <= 1f)) g[j] = 0f;
                sum += g[j] * pre[j];
            }
            _row[row] = sum;
        }
    }
}

/// <summary>colHebb[b, j] = Σ_i gP[b, i, j]·z_i(t), after <see cref="HebbianRowBackwardKernel"/> (∂L/∂z_j(t−1) = M·colHebb).</summary>
public readonly struct HebbianColumnBackwardKernel(PlasticRnnConstants c, int t, ArrayView<float> z, ArrayView<float> gradP,
    ArrayView<float> columnHebb) : IRangeKernel
{
    private readonly PlasticRnnConstants _c = c;
    private readonly int _t = t;
    private readonly ArrayView<float> _z = z, _gp = gradP, _col = columnHebb;

    /// <inheritdoc />
    public void Execute(int index)
    {
        int n = _c.Hidden, b = index / n, j = index % n;
        var post = (long)(_t + 1) * _c.Neurons + (long)b * n;
        var sum = 0f;
        for (var i = 0; i < n; i++) sum += _gp[((long)b * n + i) * n + j] * _z[post + i];
        _col[index] = sum;
    }

    /// <inheritdoc />
    public void ExecuteRange(int start, int end)
    {
        int n = _c.Hidden;
        Span<float> z = _z.AsSpan(), gp = _gp.AsSpan(), col = _col.AsSpan();
        for (var index = start; index < end; index++)
        {
            int b = index / n, j = index % n;
            var post = z.Slice((_t + 1) * _c.Neurons + b * n, n);
            var sum = 0f;
            for (var i = 0; i < n; i++) sum += gp[(b * n + i) * n + j] * post[i];
            col[index] = sum;
        }
    }
}

/// <summary>
/// ∂L/∂M[b] = Σ_i rowHebb[b, i]·z_i(t), kept in gM [T, B] (η's gradient is its sum); where modulated, the
/// modulator head's gradient GH[t, b, modulator] = ∂L/∂M·(1 − M²), else 0.
/// </summary>
public readonly struct ModulationBackwardKernel(PlasticRnnConstants c, int t, ArrayView<float> z, ArrayView<float> m,
    ArrayView<float> rowHebb, ArrayView<float> gradHeads, ArrayView<float> gradM) : IRangeKernel
{
    private readonly PlasticRnnConstants _c = c;
    private readonly int _t = t;
    private readonly ArrayView<float> _z = z, _m = m, _row = rowHebb, _gh = gradHeads, _gm = gradM;

    /// <inheritdoc />
    public void Execute(int b)
    {
        int n = _c.Hidden;
        var post = (long)(_t + 1) * _c.Neurons + (long)b * n;
        var sum = 0f;
        for (var i = 0; i < n; i++) sum += _row[(long)b * n + i] * _z[post + i];
        var at = (long)_t * _c.Batch + b;
        _gm[at] = sum;
        var mod = _m[at];
        _gh[at * _c.Heads + _c.ModulatorHead] = _c.Modulated != 0 ? sum * (1f - mod * mod) : 0f;
    }

    /// <inheritdoc />
    public void ExecuteRange(int start, int end)
    {
        for (var index = start; index < end; index++) Execute(index);
    }
}

/// <summary>
/// Neuron (b, i) at step t, from the readout back to its input current:
/// <code>
/// gz = gz(after t) + M·rowHebb + Σ_k R[k, i]·GH[t, b, k]        gs = gs(after t) + step·gz
/// gu = gv = gv(after t) + gs·σ′(v(t) − θ)                     → GU[t, b, i]
/// carried to t−1: gv ← β·gv, gz ← λ·gz + M·colHebb (the recurrent current adds its part next)
/// </code>
/// </summary>
public readonly struct PlasticNeuronBackwardKernel<TSurrogate>(PlasticRnnConstants c, int t, TSurrogate surrogate,
    ArrayView<float> v, ArrayView<float> m, ArrayView<float> readout, ArrayView<float> gradHeads, ArrayView<float> rowHebb,
    ArrayView<float> columnHebb, ArrayView<float> gradZ, ArrayView<float> gradV, ArrayView<float> gradS, ArrayView<float> gradU) : IRangeKernel
    where TSurrogate : struct, ISurrogate
{
    private readonly PlasticRnnConstants _c = c;
    private readonly int _t = t;
    private readonly TSurrogate _surrogate = surrogate;
    private readonly ArrayView<float> _v = v, _m = m, _r = readout, _gh = gradHeads, _row = rowHebb, _col = columnHebb,
        _gz = gradZ, _gv = gradV, _gs = gradS, _gu = gradU;

    /// <inheritdoc />
    public void Execute(int index)
    {
        int n = _c.Hidden, b = index / n, i = index % n;
        var at = (long)_t * _c.Batch + b;
        var mod = _c.Plastic != 0 ? _m[at] : 0f;
        var gz = _gz[index] + mod * _row[index];
        for (var k = 0; k < _c.Heads; k++) gz += _r[(long)k * n + i] * _gh[at * _c.Heads + k];
        var gs = _gs[index] + _c.TraceGain * gz;
        var cell = (long)_t * _c.Neurons + index;
        var gv = _gv[index] + gs * _surrogate.Derivative(_v[cell] - _c.Threshold);
        _gu[cell] = gv;
        _gv[index] = _c.Beta * gv;
        _gz[index] = _c.TraceDecay * gz + mod * _col[index];
    }

    /// <inheritdoc />
    public void ExecuteRange(int start, int end)
    {
        for (var index = start; index < end; index++) Execute(index);
    }
}

/// <summary>
/// What step t's current sends back to step t−1 of sample b: the reset, gs[b, j] = −θ·GU[t, b, j] (∂L/∂s_j(t−1)),
/// and the recurrent current, gz[b, j] += Σ_i (W[i, j] + α[i, j]·P(t−1)[b, i, j])·GU[t, b, i] (∂L/∂z_j(t−1)).
/// </summary>
public readonly struct PlasticRecurrentBackwardKernel(PlasticRnnConstants c, int t, ArrayView<float> weight, ArrayView<float> alpha,
    ArrayView<float> p, ArrayView<float> gradU, ArrayView<float> gradS, ArrayView<float> gradZ) : IRangeKernel
{
    private readonly PlasticRnnConstants _c = c;
    private readonly int _t = t;
    private readonly ArrayView<float> _w = weight, _alpha = alpha, _p = p, _gu = gradU, _gs = gradS, _gz = gradZ;

    /// <inheritdoc />
    public void Execute(int index)
    {
        int n = _c.Hidden, b = index / n, j = index % n;
        var rows = (long)_t * _c.Neurons + (long)b * n;
        _gs[index] = -_c.Threshold * _gu[rows + j];
        var sum = 0f;
        for (var i = 0; i < n; i++)
        {
            var w = _w[(long)i * n + j];
            if (_c.Plastic != 0) w += _alpha[(long)i * n + j] * _p[_t * _c.Synapses + ((long)b * n + i) * n + j];
            sum += w * _gu[rows + i];
        }
        _gz[index] += sum;
    }

    /// <inheritdoc />
    public void ExecuteRange(int start, int end)
    {
        int n = _c.Hidden;
        Span<float> w = _w.AsSpan(), alpha = _alpha.AsSpan(), gu = _gu.AsSpan(), gs = _gs.AsSpan(), gz = _gz.AsSpan();
        var p = _c.Plastic != 0 ? _p.AsSpan().Slice((int)(_t * _c.Synapses), (int)_c.Synapses) : default;
        for (var index = start; index < end; index++)
        {
            int b = index / n, j = index % n;
            var rows = gu.Slice(_t * _c.Neurons + b * n, n);
            gs[index] = -_c.Threshold * rows[j];
            var sum = 0f;
            if (_c.Plastic != 0)
                for (var i = 0; i < n; i++) sum += (w[i * n + j] + alpha[i * n + j] * p[(b * n + i) * n + j]) * rows[i];
            else
                for (var i = 0; i < n; i++) sum += w[i * n + j] * rows[i];
            gz[index] += sum;
        }
    }
}

/// <summary>gP[b, i, j] += α[i, j]·GU[t, b, i]·z_j(t−1): P(t−1) also reached step t's current, so gP becomes ∂L/∂P(t−1).</summary>
public readonly struct PlasticCurrentBackwardKernel(PlasticRnnConstants c, int t, ArrayView<float> alpha, ArrayView<float> z,
    ArrayView<float> gradU, ArrayView<float> gradP) : IRangeKernel
{
    private readonly PlasticRnnConstants _c = c;
    private readonly int _t = t;
    private readonly ArrayView<float> _alpha = alpha, _z = z, _gu = gradU, _gp = gradP;

    /// <inheritdoc />
    public void Execute(int index)
    {
        int n = _c.Hidden, j = index % n, row = index / n, b = row / n, i = row % n;
        _gp[index] += _alpha[(long)i * n + j] * _gu[(long)_t * _c.Neurons + row] * _z[(long)_t * _c.Neurons + (long)b * n + j];
    }

    /// <inheritdoc />
    public void ExecuteRange(int start, int end)
    {
        int n = _c.Hidden;
        Span<float> alpha = _alpha.AsSpan(), z = _z.AsSpan(), gu = _gu.AsSpan(), gp = _gp.AsSpan();
        for (var index = start; index < end;)
        {
            int row = index / n, b = row / n, i = row % n, j0 = index % n, count = Math.Min(n - j0, end - index);
            var g = gu[_t * _c.Neurons + row];
            if (g != 0f)
            {
                var pre = z.Slice(_t * _c.Neurons + b * n + j0, count);
                var a = alpha.Slice(i * n + j0, count);
                var target = gp.Slice(index, count);
                for (var j = 0; j < count; j++) target[j] += a[j] * g * pre[j];
            }
            index += count;
        }
    }
}

/// <summary>∂L/∂α[i, j] = Σ_t Σ_b GU[t, b, i]·z_j(t−1)·P(t−1)[b, i, j], one index per synapse.</summary>
public readonly struct AlphaGradientKernel(PlasticRnnConstants c, int steps, ArrayView<float> z, ArrayView<float> p,
    ArrayView<float> gradU, ArrayView<float> gradAlpha) : IRangeKernel
{
    private readonly PlasticRnnConstants _c = c;
    private readonly int _steps = steps;
    private readonly ArrayView<float> _z = z, _p = p, _gu = gradU, _ga = gradAlpha;

    /// <inheritdoc />
    public void Execute(int index)
    {
        int n = _c.Hidden, i = index / n, j = index % n;
        var sum = 0f;
        for (var t = 0; t < _steps; t++)
            for (var b = 0; b < _c.Batch; b++)
            {
                var cell = (long)t * _c.Neurons + (long)b * n;
                sum += _gu[cell + i] * _z[cell + j] * _p[t * _c.Synapses + ((long)b * n + i) * n + j];
            }
        _ga[index] = sum;
    }

    /// <inheritdoc />
    public void ExecuteRange(int start, int end)
    {
        int n = _c.Hidden;
        Span<float> z = _z.AsSpan(), p = _p.AsSpan(), gu = _gu.AsSpan(), ga = _ga.AsSpan();
        ga[start..end].Clear();
        // Row-wise: for each (t, b, i) add GU·z(t−1)·P(t−1) to α's row i, restricted to this range.
        for (var t = 0; t < _steps; t++)
            for (var b = 0; b < _c.Batch; b++)
            {
                var cell = t * _c.Neurons + b * n;
                var pre = z.Slice(cell, n);
                for (int index = start; index < end;)
                {
                    int i = index / n, j0 = index % n, count = Math.Min(n - j0, end - index);
                    var g = gu[cell + i];
                    if (g != 0f)
                    {
                        var pRow = p.Slice((int)(t * _c.Synapses) + (b * n + i) * n + j0, count);
                        var target = ga.Slice(index, count);
                        for (var j = 0; j < count; j++) target[j] += g * pre[j0 + j] * pRow[j];
                    }
                    index += count;
                }
            }
    }
}
