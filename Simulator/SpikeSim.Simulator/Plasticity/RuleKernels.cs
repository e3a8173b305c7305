using ILGPU;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Simulator.Plasticity;

/// <summary>The index of synapse s's eligibility: s where the rule keeps one, else 0 (a one-element scratch buffer).</summary>
internal static class RuleKernels
{
    public static int Eligible<TRule>(in TRule rule, int s) where TRule : struct, IRuleStep => rule.HasEligibility ? s : 0;
}

/// <summary>One index per presynaptic spike: the rule's pre hook along the neuron's row, with y decayed to this step.</summary>
internal readonly struct RulePreSpikeKernel<TRule>(ArrayView<int> spikes, ArrayView<int> rowStart, ArrayView<int> target, ArrayView<float> weight,
    ArrayView<float> postTrace, ArrayView<float> eligibility, TRule rule) : IRangeKernel where TRule : struct, IRuleStep
{
    private readonly ArrayView<int> _spikes = spikes, _rowStart = rowStart, _target = target;
    private readonly ArrayView<float> _weight = weight, _postTrace = postTrace, _eligibility = eligibility;
    private readonly TRule _rule = rule;

    public void Execute(int k)
    {
        var source = _spikes[k];
        for (var s = _rowStart[source]; s < _rowStart[source + 1]; s++)
            _rule.OnPreSpike(ref _weight[s], ref _eligibility[RuleKernels.Eligible(_rule, s)], _postTrace[_target[s]] * _rule.PostDecay);
    }

    public void ExecuteRange(int start, int end)
    {
        Span<int> spikes = _spikes.AsSpan(), rowStart = _rowStart.AsSpan(), target = _target.AsSpan();
        Span<float> weight = _weight.AsSpan(), postTrace = _postTrace.AsSpan(), eligibility = _eligibility.AsSpan();
        var rule = _rule;
        for (var k = start; k < end; k++)
        {
            var source = spikes[k];
            for (var s = rowStart[source]; s < rowStart[source + 1]; s++)
                rule.OnPreSpike(ref weight[s], ref eligibility[RuleKernels.Eligible(rule, s)], postTrace[target[s]] * rule.PostDecay);
        }
    }
}

/// <summary>One index per postsynaptic spike: the rule's post hook along the neuron's column, with x decayed to this step.</summary>
internal readonly struct RulePostSpikeKernel<TRule>(ArrayView<int> spikes, ArrayView<int> columnStart, ArrayView<int> columnSynapse, ArrayView<int> columnSource,
    ArrayView<float> weight, ArrayView<float> preTrace, ArrayView<float> eligibility, TRule rule) : IRangeKernel where TRule : struct, IRuleStep
{
    private readonly ArrayView<int> _spikes = spikes, _columnStart = columnStart, _columnSynapse = columnSynapse, _columnSource = columnSource;
    private readonly ArrayView<float> _weight = weight, _preTrace = preTrace, _eligibility = eligibility;
    private readonly TRule _rule = rule;

    public void Execute(int k)
    {
        var target = _spikes[k];
        for (var e = _columnStart[target]; e < _columnStart[target + 1]; e++)
        {
            var s = _columnSynapse[e];
            _rule.OnPostSpike(ref _weight[s], ref _eligibility[RuleKernels.Eligible(_rule, s)], _preTrace[_columnSource[e]] * _rule.PreDecay);
        }
    }

    public void ExecuteRange(int start, int end)
    {
        Span<int> spikes = _spikes.AsSpan(), columnStart = _columnStart.AsSpan(), columnSynapse = _columnSynapse.AsSpan(), columnSource = _columnSource.AsSpan();
        Span<float> weight = _weight.AsSpan(), preTrace = _preTrace.AsSpan(), eligibility = _eligibility.AsSpan();
        var rule = _rule;
        for (var k = start; k < end; k++)
        {
            var target = spikes[k];
            for (var e = columnStart[target]; e < columnStart[target + 1]; e++)
            {
                var s = columnSynapse[e];
                rule.OnPostSpike(ref weight[s], ref eligibility[RuleKernels.Eligible(rule, s)], preTrace[columnSource[e]] * rule.PreDecay);
            }
        }
    }
}

/// <summary>
/// Per synapse, for rules that read no site: the rule's per-step hook with the neuromodulator's level read from the device
/// (float, as rules take it), over any range of synapses at once on the host.
/// </summary>
internal readonly struct RuleStepKernel<TRule>(ArrayView<float> weight, ArrayView<float> eligibility, ModulatorLevel modulator, TRule rule) : IRangeKernel
    where TRule : struct, IRuleStep
{
    private readonly ArrayView<float> _weight = weight, _eligibility = eligibility;
    private readonly ArrayView<double> _levels = modulator.Levels;
    private readonly int _index = modulator.Index;
    private readonly TRule _rule = rule;

    private float Level => _index < 0 ? 0f : (float)_levels[_index];

    public void Execute(int s) => _rule.OnStep(ref _weight[s], ref _eligibility[RuleKernels.Eligible(_rule, s)], default, Level);

    public void ExecuteRange(int start, int end)
    {
        if (_rule.HasEligibility) _rule.OnStepRow(default, _weight.AsSpan()[start..end], _eligibility.AsSpan()[start..end], Level);
        else
        {
            // One scratch eligibility for every synapse, as Execute gives them.
            var weight = _weight.AsSpan();
            var rule = _rule;
            for (var s = start; s < end; s++) rule.OnStep(ref weight[s], ref _eligibility.AsSpan()[0], default, Level);
        }
    }
}

/// <summary>
/// One index per presynaptic neuron, for rules that read their synapses' sites: the rule's per-step hook along the row,
/// with each synapse's site (the traces already holding this step's spikes) and the neuromodulator's level.
/// </summary>
internal readonly struct RuleSiteStepKernel<TRule>(ArrayView<int> rowStart, ArrayView<int> target, ArrayView<float> weight, ArrayView<float> eligibility,
    ArrayView<float> preTrace, ArrayView<float> postTrace, ModulatorLevel modulator, TRule rule) : IRangeKernel
    where TRule : struct, IRuleStep
{
    private readonly ArrayView<int> _rowStart = rowStart, _target = target;
    private readonly ArrayView<float> _weight = weight, _eligibility = eligibility, _preTrace = preTrace, _postTrace = postTrace;
    private readonly ArrayView<double> _levels = modulator.Levels;
    private readonly int _index = modulator.Index;
    private readonly TRule _rule = rule;

    private float Level => _index < 0 ? 0f : (float)_levels[_index];

    public void Execute(int source)
    {
        var level = Level;
        var x = _preTrace[source];
        for (var s = _rowStart[source]; s < _rowStart[source + 1]; s++)
        {
            var target = _target[s];
            _rule.OnStep(ref _weight[s], ref _eligibility[RuleKernels.Eligible(_rule, s)], new SynapseSite(source, target, x, _postTrace[target]), level);
        }
    }

    public void ExecuteRange(int start, int end)
    {
        Span<int> rowStart = _rowStart.AsSpan(), target = _target.AsSpan();
        Span<float> weight = _weight.AsSpan(), eligibility = _eligibility.AsSpan(), preTrace = _preTrace.AsSpan(), postTrace = _postTrace.AsSpan();
        var (rule, level) = (_rule, Level);
        for (var source = start; source < end; source++)
        {
            int from = rowStart[source], to = rowStart[source + 1];
            var row = new SynapseRow(source, preTrace[source], target[from..to], postTrace);
            if (rule.HasEligibility) rule.OnStepRow(row, weight[from..to], eligibility[from..to], level);
            else
                for (var k = 0; k < to - from; k++) rule.OnStep(ref weight[from + k], ref eligibility[0], row.Site(k), level);
        }
    }
}

/// <summary>One index: the rule's once-per-step hook (a value of the postsynaptic population, into the rule's own cell).</summary>
internal readonly struct RuleBeginStepKernel<TRule>(ArrayView<float> postTrace, TRule rule) : IRangeKernel where TRule : struct, IRuleStep
{
    private readonly ArrayView<float> _postTrace = postTrace;
    private readonly TRule _rule = rule;

    public void Execute(int index) => _rule.BeginStep(_postTrace);

    public void ExecuteRange(int start, int end)
    {
        for (var k = start; k < end; k++) _rule.BeginStep(_postTrace);
    }
}

/// <summary>Per neuron: the trace decays by one step.</summary>
internal readonly struct TraceDecayKernel(ArrayView<float> trace, float decay) : IRangeKernel
{
    private readonly ArrayView<float> _trace = trace;
    private readonly float _decay = decay;

    public void Execute(int i) => _trace[i] = _trace[i] * _decay;

    public void ExecuteRange(int start, int end)
    {
        var trace = _trace.AsSpan();
        var i = start;
        var decay = new System.Numerics.Vector<float>(_decay);
        for (; i <= end - System.Numerics.Vector<float>.Count; i += System.Numerics.Vector<float>.Count)
            (new System.Numerics.Vector<float>(trace[i..]) * decay).CopyTo(trace[i..]);
        for (; i < end; i++) trace[i] = trace[i] * _decay;
    }
}

/// <summary>
/// Per neuron that fired: the (already decayed) trace takes the spike, which together with
/// <see cref="TraceDecayKernel"/> gives x·decay + 1, or 1 for nearest pairing (<see cref="PairStdp.AfterSpike{T}"/>).
/// </summary>
internal readonly struct TraceSpikeKernel(ArrayView<float> trace, ArrayView<int> spikes, TracePairing pairing) : IRangeKernel
{
    private readonly ArrayView<float> _trace = trace;
    private readonly ArrayView<int> _spikes = spikes;
    private readonly TracePairing _pairing = pairing;

    public void Execute(int k) => _trace[_spikes[k]] = PairStdp.AfterSpike(_trace[_spikes[k]], _pairing);

    public void ExecuteRange(int start, int end)
    {
        Span<float> trace = _trace.AsSpan();
        Span<int> spikes = _spikes.AsSpan();
        for (var k = start; k < end; k++) trace[spikes[k]] = PairStdp.AfterSpike(trace[spikes[k]], _pairing);
    }
}
