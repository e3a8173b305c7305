using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Synapses;

namespace SpikeSim.Simulator.Plasticity;

/// <summary>
/// A sparse projection that learns by rule <typeparamref name="TRule"/>, in the time-step engine. Delivery is that of
/// <see cref="SparseSynapses"/>; after it, each step: presynaptic spikes call the rule's pre hook along their rows,
/// postsynaptic spikes its post hook along their columns (a CSC index built once), the traces decay and take this
/// step's spikes, and, for rules that step every synapse, the per-step hook runs with the neuromodulator's level (after
/// the rule's once-per-step hook where it has one; row by row, with each synapse's site, where it reads them).
/// Extra memory: 8 bytes per synapse for the column index (12 with an eligibility) and 4 per neuron per trace, plus the
/// rule's own buffers (the decomposed rule's: 9 floats per neuron).
/// </summary>
internal sealed class PlasticSynapses<TRule> : SynapseGroup where TRule : struct, IRuleStep
{
    private readonly SparseSynapses _synapses;
    private readonly DeviceBuffer<int> _columnStart, _columnSynapse, _columnSource;
    private readonly DeviceBuffer<float> _preTrace, _postTrace, _eligibility;
    private readonly TRule _rule;
    private readonly IDisposable? _ruleBuffers;

    /// <summary>The projection learning by <paramref name="rule"/>; it disposes <paramref name="ruleBuffers"/>, the device buffers the rule's form views, with itself.</summary>
    public PlasticSynapses(IComputeBackend backend, SparseConnectivity c, double delayMs, double dtMs, TRule rule, IDisposable? ruleBuffers = null)
    {
        _synapses = new SparseSynapses(backend, c, delayMs, dtMs);
        (_rule, _ruleBuffers) = (rule, ruleBuffers);
        var (start, synapse, source) = ColumnIndex.Build(c);
        _columnStart = Upload(backend, start);
        _columnSynapse = Upload(backend, synapse);
        _columnSource = Upload(backend, source);
        _preTrace = backend.Allocate<float>(c.Sources);
        _postTrace = backend.Allocate<float>(c.Targets);
        // Without an eligibility the hooks get element 0 of a one-element scratch buffer (RuleKernels.Eligible).
        _eligibility = backend.Allocate<float>(rule.HasEligibility ? c.TargetIndex.Length : 1);
    }

    public override int MaxDelaySteps => _synapses.MaxDelaySteps;

    public override long Bytes => _synapses.Bytes + _columnStart.Bytes + _columnSynapse.Bytes + _columnSource.Bytes
        + _preTrace.Bytes + _postTrace.Bytes + (_rule.HasEligibility ? _eligibility.Bytes : 0);

    public override DeviceBuffer<float> Weights => _synapses.Weights;

    public override void Deliver(IComputeBackend backend, in SourceSpikes spikes, in DeliveryTarget target)
        => _synapses.Deliver(backend, spikes, target);

    public override void Learn(IComputeBackend backend, in SourceSpikes pre, in SourceSpikes post, in ModulatorLevel modulator)
    {
        var weights = _synapses.Weights.View;
        pre.LaunchPerSpike(backend, new RulePreSpikeKernel<TRule>(pre.List, _synapses.RowStart.View, _synapses.Targets.View, weights, _postTrace.View,
            _eligibility.View, _rule));
        post.LaunchPerSpike(backend, new RulePostSpikeKernel<TRule>(post.List, _columnStart.View, _columnSynapse.View, _columnSource.View, weights,
            _preTrace.View, _eligibility.View, _rule));
        // Traces: every neuron decays (a vectorised multiply), then only the neurons that fired take their spike.
        backend.Launch((int)_preTrace.Length, new TraceDecayKernel(_preTrace.View, _rule.PreDecay));
        pre.LaunchPerSpike(backend, new TraceSpikeKernel(_preTrace.View, pre.List, _rule.Pairing));
        backend.Launch((int)_postTrace.Length, new TraceDecayKernel(_postTrace.View, _rule.PostDecay));
        post.LaunchPerSpike(backend, new TraceSpikeKernel(_postTrace.View, post.List, _rule.Pairing));
        if (!_rule.StepsEverySynapse) return;
        if (_rule.BeginsEachStep) backend.Launch(1, new RuleBeginStepKernel<TRule>(_postTrace.View, _rule));
        if (_rule.ReadsSites)
            backend.Launch((int)_preTrace.Length, new RuleSiteStepKernel<TRule>(_synapses.RowStart.View, _synapses.Targets.View, weights, _eligibility.View,
                _preTrace.View, _postTrace.View, modulator, _rule));
        else backend.Launch((int)weights.Length, new RuleStepKernel<TRule>(weights, _eligibility.View, modulator, _rule));
    }

    public override void Dispose()
    {
        _synapses.Dispose();
        _columnStart.Dispose();
        _columnSynapse.Dispose();
        _columnSource.Dispose();
        _preTrace.Dispose();
        _postTrace.Dispose();
        _eligibility.Dispose();
        _ruleBuffers?.Dispose();
    }

    private static DeviceBuffer<int> Upload(IComputeBackend backend, int[] values)
    {
        var buffer = backend.Allocate<int>(values.Length);
        buffer.CopyFrom(values);
        return buffer;
    }
}
