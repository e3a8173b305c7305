using System.Numerics;
using ILGPU;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Synapses;

namespace SpikeSim.Simulator.Plasticity;

/// <summary>
/// The decomposed plasticity rule of Wang, Lin, Chen, Shi et al. (2022), "Evolving decomposed plasticity rules for
/// information-bottlenecked meta-learning" (TMLR), in its eligibility form with the network's own modulation as the third
/// factor: the rule the spiking maze agent evolves, as a rule of the time-step engine.
/// <code>
/// ΔW_ij = A_ij·y_i·x_j + B_ij·y_i + C_ij·x_j + D_ij       A_ij = a^post_i·a^pre_j   (B, C, D alike)
/// m     = sigmoid(Σ_i w^m_i·y_i + b_m)                     read out of the postsynaptic traces, once per step
/// each step of dt:   E_ij ← E_ij + (dt/T)·ΔW_ij
///                    w_ij ← clip(w_ij + η·dt·m·E_ij, W_min, W_max)
///                    E_ij ← E_ij·e^(−dt/τ_c)
/// </code>
/// x and y are the engine's presynaptic and postsynaptic traces (τ_x, τ_y; x ← x·e^(−dt/τ) + 1 at a spike), read after
/// this step's spikes. T is the update interval the coefficients were evolved for (the maze agent's task step): at dt = T
/// one step is the agent's once-per-task-step update exactly (<see cref="StepRow"/> is what both run). The third factor is
/// m alone: the rule reads no engine neuromodulator. Post vectors have one value per target neuron of the projection, pre
/// vectors one per source neuron. The event engine has no form of it and refuses it by name.
/// </summary>
public sealed record DecomposedStdp(
    DecomposedRuleValues Coefficients,
    double UpdateIntervalMs,
    double TauCMs,
    double LearningRate,
    double WMin,
    double WMax,
    double PreTauMs,
    double PostTauMs) : ITimeStepRule
{
    /// <summary>Refuses a bad parameter by name.</summary>
    public void Validate()
    {
        Coefficients.Shape();
        foreach (var (name, value) in new[] { ("update interval", UpdateIntervalMs), ("tau_c", TauCMs), ("tau of the pre trace", PreTauMs), ("tau of the post trace", PostTauMs) })
            if (!(value > 0) || !double.IsFinite(value)) throw new InvalidParameterException($"The decomposed rule's {name} ({value} ms) must be positive and finite.");
        if (!double.IsFinite(LearningRate)) throw new InvalidParameterException("The decomposed rule's learning rate must be finite.");
        if (!(WMax >= WMin)) throw new InvalidParameterException($"Wmax ({WMax}) must not lie below Wmin ({WMin}).");
    }

    /// <summary>The scalar constants of one step of length <paramref name="dtMs"/> (the coefficients stay in their vectors).</summary>
    public DecomposedConstants Discretize(double dtMs)
    {
        Discretization.CheckTimeConstant("tau_c", TauCMs, dtMs);
        Validate();
        var traces = new PairStdp(APlus: 0, AMinus: 0, TauPlusMs: PreTauMs, TauMinusMs: PostTauMs, WMin: WMin, WMax: WMax).Discretize(dtMs);
        var weight = new ThreeFactorConstants(traces, (float)Discretization.Decay(dtMs, TauCMs), (float)(LearningRate * dtMs), 0f);
        return new DecomposedConstants(weight, (float)(dtMs / UpdateIntervalMs));
    }

    SynapseGroup ITimeStepRule.CreateSynapses(IComputeBackend backend, SparseConnectivity connectivity, double delayMs, double dtMs)
    {
        var constants = Discretize(dtMs);
        var (post, pre) = Coefficients.Shape();
        if (post != connectivity.Targets || pre != connectivity.Sources)
            throw new InvalidParameterException($"The decomposed rule has coefficients for {pre} sources and {post} targets; its projection has {connectivity.Sources} and {connectivity.Targets}.");
        var buffers = new DecomposedBuffers(backend, Coefficients);
        return new PlasticSynapses<DecomposedStep>(backend, connectivity, delayMs, dtMs, buffers.Step(constants), buffers);
    }

    /// <summary>The third factor m = sigmoid(sum), sum = b_m + Σ_i w^m_i·y_i added in order of i.</summary>
    public static float Modulation(float sum) => 1f / (1f + MathF.Exp(-sum));

    /// <summary>m of the postsynaptic traces <paramref name="post"/> (<see cref="Modulation(float)"/>; the sum in order of i).</summary>
    public static float Modulation(ReadOnlySpan<float> weight, float bias, ReadOnlySpan<float> post)
    {
        var sum = bias;
        for (var i = 0; i < post.Length; i++) sum += weight[i] * post[i];
        return Modulation(sum);
    }

    /// <summary>ΔW_ij of one synapse, its four terms multiplied and added in this order (every form computes it so).</summary>
    public static float Change(float aPost, float aPre, float bPost, float bPre, float cPost, float cPre, float dPost, float dPre, float y, float x)
        => aPost * aPre * y * x + bPost * bPre * y + cPost * cPre * x + dPost * dPre;

    /// <summary>One step of one synapse: E takes (dt/T)·ΔW, then w follows m·E and E decays (<see cref="ThreeFactorStdp.Step"/>).</summary>
    public static void Step(ref float w, ref float eligibility, float change, float modulation, in DecomposedConstants c)
    {
        eligibility += c.Gain * change;
        ThreeFactorStdp.Step(ref w, ref eligibility, modulation, c.Weight);
    }

    /// <summary>
    /// One step along one presynaptic neuron's row whose targets are consecutive neurons: <paramref name="post"/> holds
    /// their post vectors and traces, <paramref name="pre"/> the source's pre coefficients and trace. E takes (dt/T)·ΔW
    /// vectorised over the targets in <see cref="Change"/>'s order of operations, then the three-factor step runs over the
    /// row (<see cref="ThreeFactorConstants.StepRange"/>): every synapse gets what <see cref="Step"/> gives it.
    /// </summary>
    public static void StepRow(in DecomposedConstants c, in DecomposedPostSide post, in DecomposedPreSide pre, float modulation, Span<float> weight, Span<float> eligibility)
    {
        var k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            Vector<float> aPre = new(pre.A), bPre = new(pre.B), cPre = new(pre.C), dPre = new(pre.D), x = new(pre.Trace), gain = new(c.Gain);
            for (; k <= weight.Length - Vector<float>.Count; k += Vector<float>.Count)
            {
                var y = new Vector<float>(post.Trace[k..]);
                var change = new Vector<float>(post.A[k..]) * aPre * y * x + new Vector<float>(post.B[k..]) * bPre * y
                             + new Vector<float>(post.C[k..]) * cPre * x + new Vector<float>(post.D[k..]) * dPre;
                (new Vector<float>(eligibility[k..]) + gain * change).CopyTo(eligibility[k..]);
            }
        }
        for (; k < weight.Length; k++)
            eligibility[k] += c.Gain * Change(post.A[k], pre.A, post.B[k], pre.B, post.C[k], pre.C, post.D[k], pre.D, post.Trace[k], pre.Trace);
        c.Weight.StepRange(weight, eligibility, modulation);
    }
}

/// <summary>The scalar constants of one step of <see cref="DecomposedStdp"/>: the three-factor update of w and E, and dt/T.</summary>
public readonly record struct DecomposedConstants(ThreeFactorConstants Weight, float Gain);

/// <summary>The post vectors and traces of consecutive target neurons (a slice of each).</summary>
public readonly ref struct DecomposedPostSide(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, ReadOnlySpan<float> d, ReadOnlySpan<float> trace)
{
    public ReadOnlySpan<float> A { get; } = a;
    public ReadOnlySpan<float> B { get; } = b;
    public ReadOnlySpan<float> C { get; } = c;
    public ReadOnlySpan<float> D { get; } = d;

    /// <summary>The targets' traces y.</summary>
    public ReadOnlySpan<float> Trace { get; } = trace;
}

/// <summary>One source's pre coefficients and trace x.</summary>
public readonly record struct DecomposedPreSide(float A, float B, float C, float D, float Trace);

/// <summary>
/// The per-step form of <see cref="DecomposedStdp"/> in the engine: its constants and views of the coefficient vectors on
/// the device, and a cell for m, which <see cref="BeginStep"/> computes once per step on one device thread, summing in
/// order of i as the host does (a tree reduction would be faster on a GPU for large populations, and would change the
/// sum's rounding; the rule was evolved for agent-sized ones).
/// </summary>
public readonly struct DecomposedStep : IRuleStep
{
    private readonly DecomposedConstants _c;
    private readonly ArrayView<float> _aPost, _bPost, _cPost, _dPost, _aPre, _bPre, _cPre, _dPre, _modulationWeight, _modulation;
    private readonly float _modulationBias;

    internal DecomposedStep(DecomposedConstants c, ArrayView<float>[] post, ArrayView<float>[] pre, ArrayView<float> modulationWeight, float modulationBias,
        ArrayView<float> modulation)
    {
        _c = c;
        (_aPost, _bPost, _cPost, _dPost) = (post[0], post[1], post[2], post[3]);
        (_aPre, _bPre, _cPre, _dPre) = (pre[0], pre[1], pre[2], pre[3]);
        (_modulationWeight, _modulationBias, _modulation) = (modulationWeight, modulationBias, modulation);
    }

    /// <inheritdoc />
    public float PreDecay => _c.Weight.PreDecay;

    /// <inheritdoc />
    public float PostDecay => _c.Weight.PostDecay;

    /// <inheritdoc />
    public TracePairing Pairing => TracePairing.AllToAll;

    /// <inheritdoc />
    public bool HasEligibility => true;

    /// <inheritdoc />
    public bool StepsEverySynapse => true;

    /// <inheritdoc />
    public bool ReadsSites => true;

    /// <inheritdoc />
    public bool BeginsEachStep => true;

    /// <inheritdoc />
    public void BeginStep(ArrayView<float> postTrace)
    {
        var sum = _modulationBias;
        for (var i = 0; i < (int)postTrace.Length; i++) sum += _modulationWeight[i] * postTrace[i];
        _modulation[0] = DecomposedStdp.Modulation(sum);
    }

    /// <inheritdoc />
    public void OnPreSpike(ref float weight, ref float eligibility, float postTrace)
    {
    }

    /// <inheritdoc />
    public void OnPostSpike(ref float weight, ref float eligibility, float preTrace)
    {
    }

    /// <inheritdoc />
    public void OnStep(ref float weight, ref float eligibility, SynapseSite site, float modulator)
    {
        int i = site.Target, j = site.Source;
        var change = DecomposedStdp.Change(_aPost[i], _aPre[j], _bPost[i], _bPre[j], _cPost[i], _cPre[j], _dPost[i], _dPre[j], site.PostTrace, site.PreTrace);
        DecomposedStdp.Step(ref weight, ref eligibility, change, _modulation[0], _c);
    }

    /// <inheritdoc />
    public void OnStepRow(in SynapseRow row, Span<float> weight, Span<float> eligibility, float modulator)
    {
        var first = row.ConsecutiveFrom();
        if (first < 0)
        {
            for (var k = 0; k < weight.Length; k++) OnStep(ref weight[k], ref eligibility[k], row.Site(k), modulator);
            return;
        }
        var (from, count, j) = (first, weight.Length, row.Source);
        var post = new DecomposedPostSide(_aPost.AsSpan().Slice(from, count), _bPost.AsSpan().Slice(from, count), _cPost.AsSpan().Slice(from, count),
            _dPost.AsSpan().Slice(from, count), row.PostTrace.Slice(from, count));
        var pre = new DecomposedPreSide(_aPre[j], _bPre[j], _cPre[j], _dPre[j], row.PreTrace);
        DecomposedStdp.StepRow(_c, post, pre, _modulation[0], weight, eligibility);
    }
}

/// <summary>The device buffers a <see cref="DecomposedStep"/> views: the coefficient vectors and the cell of m.</summary>
internal sealed class DecomposedBuffers : IDisposable
{
    private readonly DeviceBuffer<float>[] _post, _pre;
    private readonly DeviceBuffer<float> _modulationWeight, _modulation;
    private readonly float _modulationBias;

    public DecomposedBuffers(IComputeBackend backend, DecomposedRuleValues v)
    {
        _post = [Upload(backend, v.APost), Upload(backend, v.BPost), Upload(backend, v.CPost), Upload(backend, v.DPost)];
        _pre = [Upload(backend, v.APre), Upload(backend, v.BPre), Upload(backend, v.CPre), Upload(backend, v.DPre)];
        _modulationWeight = Upload(backend, v.ModulationWeight);
        _modulation = backend.Allocate<float>(1);
        _modulationBias = v.ModulationBias;
    }

    public DecomposedStep Step(DecomposedConstants c)
        => new(c, [.. _post.Select(b => b.View)], [.. _pre.Select(b => b.View)], _modulationWeight.View, _modulationBias, _modulation.View);

    public void Dispose()
    {
        foreach (var b in _post.Concat(_pre)) b.Dispose();
        _modulationWeight.Dispose();
        _modulation.Dispose();
    }

    private static DeviceBuffer<float> Upload(IComputeBackend backend, float[] values)
    {
        var buffer = backend.Allocate<float>(values.Length);
        buffer.CopyFrom(values);
        return buffer;
    }
}
