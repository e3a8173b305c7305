using SpikeSim.Learning.Plasticity.Kernels;
using SpikeSim.Learning.Layers;
using SpikeSim.Learning.Surrogates;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.LinearAlgebra;
using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Learning.Plasticity;

/// <summary>Time constants (in steps of the network), threshold and surrogate of a <see cref="SpikingPlasticRnn"/>.</summary>
/// <param name="MembraneTauSteps">τ_mem in steps: β = exp(−1/τ_mem).</param>
/// <param name="TraceTauSteps">τ_trace in steps, of the spike traces z that drive plasticity and the readout: λ = exp(−1/τ_trace).</param>
/// <param name="Threshold">θ.</param>
/// <param name="SurrogateSlope">k of the fast-sigmoid surrogate σ′(x) = 1/(1 + k|x|)².</param>
/// <param name="InputGain">g of the input weights' <see cref="WeightInit"/> (larger: more spikes at the start).</param>
/// <param name="TraceStep">What a spike adds to its trace: <see cref="TraceStep.Rate"/> (1 − λ, z a firing rate in [0, 1])
/// or <see cref="TraceStep.Count"/> (1, z a decaying spike count).</param>
/// <param name="AlphaScale">α starts at AlphaScale·U[0, 1) (the ANN path: 0.01). Spike-trace rates are small, so
/// the Hebbian term is small and a tiny α leaves both α's and the modulator's gradients (each proportional to
/// the other) near zero at the start.</param>
public sealed record SpikingPlasticSettings(float MembraneTauSteps = 5f, float TraceTauSteps = 5f, float Threshold = 1f, float SurrogateSlope = 5f,
    float InputGain = 1f, float AlphaScale = 0.01f, TraceStep TraceStep = TraceStep.Rate)
{
    /// <summary>β = exp(−1/τ_mem), the membrane's decay per step.</summary>
    public float MembraneDecay => (float)Discretization.Decay(1, MembraneTauSteps, Integrator.ExactExponential);

    /// <summary>λ = exp(−1/τ_trace), the trace's decay per step.</summary>
    public float TraceDecay => (float)Discretization.Decay(1, TraceTauSteps, Integrator.ExactExponential);

    /// <summary>What one spike adds to its trace: 1 − λ (<see cref="TraceStep.Rate"/>) or 1 (<see cref="TraceStep.Count"/>).</summary>
    public float TraceGain => TraceStep == TraceStep.Rate ? 1f - TraceDecay : 1f;
}

/// <summary>What one spike adds to a spike trace z ← λ·z + step·s.</summary>
public enum TraceStep
{
    /// <summary>step = 1 − λ: z is a firing rate in [0, 1].</summary>
    Rate,

    /// <summary>step = 1: z is an exponentially decaying spike count.</summary>
    Count,
}

/// <summary>
/// Backpropamine on spiking neurons: a recurrent LIF layer whose recurrent weights are W + α ⊙ P, with P
/// changed by a Hebbian term of the pre- and postsynaptic spike traces and gated by a modulator the network reads
/// out of itself. Per step t, row = postsynaptic, every sample b of the batch with its own P:
/// <code>
/// u(t) = W_in·x(t) + b + (W + α ⊙ P(t−1))·z(t−1)
/// v(t) = β·v(t−1) + u(t) − θ·s(t−1)          s(t) = H(v(t) − θ)         z(t) = λ·z(t−1) + step·s(t)
/// [π logits, V, m](t) = R·z(t) + r             M(t) = tanh(m(t))  (or η, or nothing: <see cref="SpikingPlasticVariant"/>)
/// P(t) = clip(P(t−1) + M(t)·z(t) ⊗ z(t−1), −1, 1)
/// </code>
/// The recurrent synapses carry the presynaptic traces z (an exponential synaptic current), the same z(t−1) the
/// Hebbian term pairs with z(t), as h(t−1) is in the ANN. v, s, z and P are zero at the start of an episode. The whole episode is recorded (P included, 4·B·N² bytes a
/// step), and <see cref="Backward"/> differentiates all of it — the plastic terms are part of the graph — with
/// the fast-sigmoid surrogate for H′. The environment runs between steps, so the model is driven one step at a
/// time (<see cref="Step"/>) and differentiated once per episode.
/// </summary>
public sealed class SpikingPlasticRnn : IDisposable
{
    private readonly IComputeBackend _backend;
    private readonly IGemm _gemm;
    private readonly PlasticRnnConstants _c;
    private readonly FastSigmoid _surrogate;
    private readonly Parameter _inputWeight, _bias, _weight, _alpha, _eta, _readout, _readoutBias;
    private readonly DeviceBuffer<float> _x, _v, _s, _z, _p, _heads, _m;
    private readonly DeviceBuffer<float> _gradHeads, _gradU, _gradM, _gradP, _gradZ, _gradV, _gradS, _rowHebb, _columnHebb;
    private int _t;

    /// <summary>Creates the network with W at 0.01·U[0, 1) (as the paper), α at <see cref="SpikingPlasticSettings.AlphaScale"/>·U[0, 1), W_in Gaussian (see <see cref="WeightInit"/>), the readout U(±1/√N).</summary>
    public SpikingPlasticRnn(IComputeBackend backend, int inputs, int hidden, int actions, int batch, int maxSteps,
        SpikingPlasticVariant variant, SpikingPlasticSettings settings, int seed)
    {
        Validate.AtLeast(inputs, 1, nameof(inputs));
        Validate.AtLeast(hidden, 1, nameof(hidden));
        Validate.AtLeast(actions, 1, nameof(actions));
        Validate.AtLeast(batch, 1, nameof(batch));
        Validate.AtLeast(maxSteps, 1, nameof(maxSteps));
        (_backend, Variant, Settings, MaxSteps) = (backend, variant, settings, maxSteps);
        _gemm = Gemm.For(backend);
        var beta = settings.MembraneDecay;
        _c = new PlasticRnnConstants(batch, inputs, hidden, actions, beta, settings.TraceDecay, settings.TraceGain, settings.Threshold,
            variant.IsPlastic ? 1 : 0, variant.IsModulated ? 1 : 0);
        _surrogate = new FastSigmoid(settings.SurrogateSlope);

        _inputWeight = new Parameter(backend, "input_weight", hidden, inputs);
        _bias = new Parameter(backend, "bias", hidden);
        _weight = new Parameter(backend, "recurrent_weight", hidden, hidden);
        _alpha = new Parameter(backend, "alpha", hidden, hidden);
        _eta = new Parameter(backend, "eta", 1);
        _readout = new Parameter(backend, "readout_weight", _c.Heads, hidden);
        _readoutBias = new Parameter(backend, "readout_bias", _c.Heads);
        var random = new Random(seed);
        var win = new float[_inputWeight.Length];
        WeightInit.Gaussian(win, inputs, beta, settings.Threshold, settings.InputGain, random);
        _inputWeight.Value.CopyFrom(win);
        _weight.Value.CopyFrom(Uniform(_weight.Length, 0, 0.01f, random));
        _alpha.Value.CopyFrom(Uniform(_alpha.Length, 0, settings.AlphaScale, random));
        _eta.Value.CopyFrom([0.01f]);
        var bound = 1f / MathF.Sqrt(hidden);
        _readout.Value.CopyFrom(Uniform(_readout.Length, -bound, bound, random));
        _readoutBias.Value.CopyFrom(Uniform(_readoutBias.Length, -bound, bound, random));
        List<Parameter> parameters = [_inputWeight, _bias, _weight];
        if (variant.IsPlastic) parameters.Add(_alpha);
        if (variant.IsPlastic && !variant.IsModulated) parameters.Add(_eta);
        parameters.AddRange([_readout, _readoutBias]);
        Parameters = parameters;

        long neurons = _c.Neurons, synapses = _c.Synapses;
        _x = backend.Allocate<float>(maxSteps * (long)batch * inputs);
        _v = backend.Allocate<float>(maxSteps * neurons);
        _s = backend.Allocate<float>((maxSteps + 1) * neurons);
        _z = backend.Allocate<float>((maxSteps + 1) * neurons);
        _p = backend.Allocate<float>(variant.IsPlastic ? (maxSteps + 1) * synapses : 1);
        _heads = backend.Allocate<float>(maxSteps * (long)batch * _c.Heads);
        _m = backend.Allocate<float>(maxSteps * (long)batch);
        _gradHeads = backend.Allocate<float>(_heads.Length);
        _gradU = backend.Allocate<float>(_v.Length);
        _gradM = backend.Allocate<float>(_m.Length);
        _gradP = backend.Allocate<float>(variant.IsPlastic ? synapses : 1);
        (_gradZ, _gradV, _gradS) = (backend.Allocate<float>(neurons), backend.Allocate<float>(neurons), backend.Allocate<float>(neurons));
        (_rowHebb, _columnHebb) = (backend.Allocate<float>(neurons), backend.Allocate<float>(neurons));
    }

    /// <summary>The plasticity variant.</summary>
    public SpikingPlasticVariant Variant { get; }

    /// <summary>Time constants, threshold and surrogate.</summary>
    public SpikingPlasticSettings Settings { get; }

    /// <summary>Steps an episode may have.</summary>
    public int MaxSteps { get; }

    /// <summary>Samples per batch.</summary>
    public int Batch => _c.Batch;

    /// <summary>Recurrent neurons.</summary>
    public int Hidden => _c.Hidden;

    /// <summary>Readout width: the policy logits, the value, the modulator.</summary>
    public int Heads => _c.Heads;

    /// <summary>Steps run since <see cref="Begin"/>.</summary>
    public int Steps => _t;

    /// <summary>
    /// Trainable parameters: input_weight [N, I], bias [N], recurrent_weight W [N, N], alpha [N, N] (plastic
    /// variants), eta [1] (the unmodulated plastic variant), readout_weight [K, N] and readout_bias [K].
    /// </summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Inputs per step.</summary>
    public int Inputs => _c.Inputs;

    /// <summary>Actions the policy chooses among (the readout's first rows).</summary>
    public int Actions => _c.Actions;

    /// <summary>A copy of every learned number (for export).</summary>
    public SpikingPlasticValues Values() => new(_inputWeight.Value.ToArray(), _bias.Value.ToArray(), _weight.Value.ToArray(),
        _alpha.Value.ToArray(), _eta.Value.ToArray()[0], _readout.Value.ToArray(), _readoutBias.Value.ToArray());

    /// <summary>Sets every learned number (a network read from a file); the shapes must be this network's.</summary>
    public void Load(SpikingPlasticValues values)
    {
        int n = _c.Hidden, k = _c.Heads;
        Check(values.InputWeight, n * _c.Inputs, "input_weight");
        Check(values.Bias, n, "bias");
        Check(values.RecurrentWeight, n * n, "recurrent_weight");
        Check(values.Alpha, n * n, "alpha");
        Check(values.ReadoutWeight, k * n, "readout_weight");
        Check(values.ReadoutBias, k, "readout_bias");
        _inputWeight.Value.CopyFrom(values.InputWeight);
        _bias.Value.CopyFrom(values.Bias);
        _weight.Value.CopyFrom(values.RecurrentWeight);
        _alpha.Value.CopyFrom(values.Alpha);
        _eta.Value.CopyFrom([values.Eta]);
        _readout.Value.CopyFrom(values.ReadoutWeight);
        _readoutBias.Value.CopyFrom(values.ReadoutBias);

        static void Check(float[] array, int length, string name)
        {
            if (array.Length != length) throw new ArgumentException($"{name} has {array.Length} values; this network's has {length}.");
        }
    }

    /// <summary>Starts an episode: v, s, z and P are zero.</summary>
    public void Begin() => _t = 0;

    /// <summary>
    /// Runs one step on <paramref name="x"/> [batch, inputs] and writes the readout [batch, K] (policy logits,
    /// value, modulator pre-activation) to <paramref name="heads"/>.
    /// </summary>
    public void Step(ReadOnlySpan<float> x, Span<float> heads)
    {
        if (_t >= MaxSteps) throw new InvalidOperationException($"The episode already has the {MaxSteps} steps this network was built for.");
        if (x.Length != _c.Batch * _c.Inputs || heads.Length != _c.Batch * _c.Heads)
            throw new ArgumentException($"Step takes [{_c.Batch}, {_c.Inputs}] inputs and writes [{_c.Batch}, {_c.Heads}] heads.");
        _x.CopyFrom(x, (long)_t * x.Length);
        _backend.Launch(_c.Neurons, new PlasticNeuronStepKernel(_c, _t, _x.View, _inputWeight.Value.View, _bias.Value.View,
            _weight.Value.View, _alpha.Value.View, _p.View, _v.View, _s.View, _z.View));
        _backend.Launch(_c.Batch * _c.Heads, new PlasticReadoutKernel(_c, _t, _z.View, _readout.Value.View, _readoutBias.Value.View, _heads.View));
        if (Variant.IsPlastic)
        {
            _backend.Launch(_c.Batch, new ModulationKernel(_c, _t, _heads.View, _eta.Value.View, _m.View));
            _backend.Launch((int)_c.Synapses, new HebbianTraceKernel(_c, _t, _z.View, _m.View, _p.View));
        }
        _backend.Synchronize();
        _heads.CopyTo(heads, (long)_t * heads.Length);
        _t++;
    }

    /// <summary>The spikes s(t) of step <paramref name="t"/>, [batch, hidden] (for raster plots and rates).</summary>
    public float[] Spikes(int t)
    {
        if (t < 0 || t >= _t) throw new ArgumentOutOfRangeException(nameof(t));
        var result = new float[_c.Neurons];
        _s.CopyTo(result, (long)(t + 1) * _c.Neurons);
        return result;
    }

    /// <summary>
    /// Back-propagates through the episode so far. <paramref name="gradHeads"/> is ∂L/∂heads [steps, batch, K]
    /// for the policy and value columns (its modulator column is ignored: the modulator's gradient comes from P).
    /// Sets every parameter's gradient.
    /// </summary>
    public void Backward(ReadOnlySpan<float> gradHeads)
    {
        var steps = _t;
        if (steps == 0) throw new InvalidOperationException("Backward needs at least one step since Begin.");
        if (gradHeads.Length != steps * _c.Batch * _c.Heads)
            throw new ArgumentException($"Backward takes [{steps}, {_c.Batch}, {_c.Heads}] head gradients.", nameof(gradHeads));
        // The modulator column is this network's to fill (zero where there is no modulator).
        var upstream = gradHeads.ToArray();
        for (var r = 0; r < steps * _c.Batch; r++) upstream[r * _c.Heads + _c.ModulatorHead] = 0;
        _gradHeads.CopyFrom(upstream);
        foreach (var buffer in new[] { _gradP, _gradZ, _gradV, _gradS, _rowHebb, _columnHebb, _gradM }) buffer.Clear();
        for (var t = steps - 1; t >= 0; t--)
        {
            if (Variant.IsPlastic)
            {
                _backend.Launch(_c.Neurons, new HebbianRowBackwardKernel(_c, t, _z.View, _m.View, _p.View, _gradP.View, _rowHebb.View));
                _backend.Launch(_c.Neurons, new HebbianColumnBackwardKernel(_c, t, _z.View, _gradP.View, _columnHebb.View));
                _backend.Launch(_c.Batch, new ModulationBackwardKernel(_c, t, _z.View, _m.View, _rowHebb.View, _gradHeads.View, _gradM.View));
            }
            _backend.Launch(_c.Neurons, new PlasticNeuronBackwardKernel<FastSigmoid>(_c, t, _surrogate, _v.View, _m.View,
                _readout.Value.View, _gradHeads.View, _rowHebb.View, _columnHebb.View, _gradZ.View, _gradV.View, _gradS.View, _gradU.View));
            _backend.Launch(_c.Neurons, new PlasticRecurrentBackwardKernel(_c, t, _weight.Value.View, _alpha.Value.View, _p.View, _gradU.View, _gradS.View, _gradZ.View));
            if (Variant.IsPlastic)
                _backend.Launch((int)_c.Synapses, new PlasticCurrentBackwardKernel(_c, t, _alpha.Value.View, _z.View, _gradU.View, _gradP.View));
        }
        var rows = steps * _c.Batch;
        var (n, ni, k) = (_c.Hidden, _c.Inputs, _c.Heads);
        // ∂L/∂W_in = GUᵀ·X, ∂L/∂W = GUᵀ·Z(t−1), ∂L/∂R = GHᵀ·Z(t); biases are column sums.
        _gemm.Multiply(MatrixOp.Transpose, MatrixOp.None, n, ni, rows, 1f, _gradU.View.SubView(0, (long)rows * n), _x.View.SubView(0, (long)rows * ni), 0f, _inputWeight.Gradient.View);
        _gemm.Multiply(MatrixOp.Transpose, MatrixOp.None, n, n, rows, 1f, _gradU.View.SubView(0, (long)rows * n), _z.View.SubView(0, (long)rows * n), 0f, _weight.Gradient.View);
        _gemm.Multiply(MatrixOp.Transpose, MatrixOp.None, k, n, rows, 1f, _gradHeads.View.SubView(0, (long)rows * k), _z.View.SubView(_c.Neurons, (long)rows * n), 0f, _readout.Gradient.View);
        _backend.Launch(n, new Layers.Kernels.ColumnSumKernel(_gradU.View, _bias.Gradient.View, rows, n));
        _backend.Launch(k, new Layers.Kernels.ColumnSumKernel(_gradHeads.View, _readoutBias.Gradient.View, rows, k));
        if (Variant.IsPlastic)
        {
            _backend.Launch(n * n, new AlphaGradientKernel(_c, steps, _z.View, _p.View, _gradU.View, _alpha.Gradient.View));
            _backend.Launch(1, new Layers.Kernels.ColumnSumKernel(_gradM.View, _eta.Gradient.View, rows, 1));
        }
        _backend.Synchronize();
    }

    private static float[] Uniform(int length, float low, float high, Random random)
    {
        var values = new float[length];
        for (var i = 0; i < length; i++) values[i] = low + (high - low) * (float)random.NextDouble();
        return values;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var p in new[] { _inputWeight, _bias, _weight, _alpha, _eta, _readout, _readoutBias }) p.Dispose();
        foreach (var b in new[] { _x, _v, _s, _z, _p, _heads, _m, _gradHeads, _gradU, _gradM, _gradP, _gradZ, _gradV, _gradS, _rowHebb, _columnHebb })
            b.Dispose();
    }
}
