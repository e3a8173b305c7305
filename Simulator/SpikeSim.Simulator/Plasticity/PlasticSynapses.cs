using ILGPU;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Synapses;

namespace SpikeSim.Simulator.Plasticity;

/// <summary>
/// A sparse projection that learns, in the time-step engine. Delivery is that of
/// <see cref="SparseSynapses"/>; after it, each step: presynaptic spikes depress along their rows,
/// postsynaptic spikes potentiate along their columns (a CSC index built once), the traces decay and
/// take this step's spikes, and a three-factor rule moves every weight by η·(n − b)·c·dt. Rows of
/// distinct sources and columns of distinct targets are disjoint, so no update races.
/// Extra memory: 8 bytes per synapse for the column index (12 with an eligibility trace) and
/// 4 per neuron per trace.
/// </summary>
internal sealed class PlasticSynapses : SynapseGroup
{
    private readonly SparseSynapses _synapses;
    private readonly DeviceBuffer<int> _columnStart, _columnSynapse, _columnSource;
    private readonly DeviceBuffer<float> _preTrace, _postTrace, _eligibility;
    private readonly PairStdpConstants _pairing;
    private readonly ThreeFactorConstants _threeFactor;
    private readonly int _isThreeFactor;

    public PlasticSynapses(IComputeBackend backend, SparseConnectivity c, double delayMs, double dtMs, IPlasticityRule rule)
    {
        IPlasticityRule.RequireKnown(rule, "time-step engine");
        _synapses = new SparseSynapses(backend, c, delayMs, dtMs);
        _pairing = rule.Pairing.Discretize(dtMs);
        if (rule is ThreeFactorStdp threeFactor)
        {
            _threeFactor = threeFactor.Discretize(dtMs);
            _isThreeFactor = 1;
        }
        var (start, synapse, source) = ColumnIndex.Build(c);
        _columnStart = Upload(backend, start);
        _columnSynapse = Upload(backend, synapse);
        _columnSource = Upload(backend, source);
        _preTrace = backend.Allocate<float>(c.Sources);
        _postTrace = backend.Allocate<float>(c.Targets);
        _eligibility = backend.Allocate<float>(_isThreeFactor == 1 ? c.TargetIndex.Length : 0);
    }

    public override int MaxDelaySteps => _synapses.MaxDelaySteps;

    public override long Bytes => _synapses.Bytes + _columnStart.Bytes + _columnSynapse.Bytes + _columnSource.Bytes
        + _preTrace.Bytes + _postTrace.Bytes + (_isThreeFactor == 1 ? _eligibility.Bytes : 0);

    public override DeviceBuffer<float> Weights => _synapses.Weights;

    public override void Deliver(IComputeBackend backend, in SourceSpikes spikes, in DeliveryTarget target)
        => _synapses.Deliver(backend, spikes, target);

    public override void Learn(IComputeBackend backend, in SourceSpikes pre, in SourceSpikes post, in ModulatorLevel modulator)
    {
        var weights = _synapses.Weights.View;
        pre.LaunchPerSpike(backend, new PreSpikeKernel(pre.List, _synapses.RowStart.View, _synapses.Targets.View, weights, _postTrace.View,
            _eligibility.View, _pairing, _isThreeFactor));
        post.LaunchPerSpike(backend, new PostSpikeKernel(post.List, _columnStart.View, _columnSynapse.View, _columnSource.View, weights,
            _preTrace.View, _eligibility.View, _pairing, _isThreeFactor));
        // Traces: every neuron decays (a vectorised multiply), then only the neurons that fired take their spike.
        backend.Launch((int)_preTrace.Length, new TraceDecayKernel(_preTrace.View, _pairing.DecayPlus));
        pre.LaunchPerSpike(backend, new TraceSpikeKernel(_preTrace.View, pre.List, _pairing.Pairing));
        backend.Launch((int)_postTrace.Length, new TraceDecayKernel(_postTrace.View, _pairing.DecayMinus));
        post.LaunchPerSpike(backend, new TraceSpikeKernel(_postTrace.View, post.List, _pairing.Pairing));
        if (_isThreeFactor == 1)
            backend.Launch((int)weights.Length, new EligibilityKernel(weights, _eligibility.View, modulator, _threeFactor));
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
    }

    private static DeviceBuffer<int> Upload(IComputeBackend backend, int[] values)
    {
        var buffer = backend.Allocate<int>(values.Length);
        buffer.CopyFrom(values);
        return buffer;
    }

    /// <summary>
    /// Applies a pairing change Δ to synapse s: into its eligibility (three-factor) or its weight. Kernels
    /// pass eligibility[isThreeFactor·s], which is element 0 of a one-element dummy buffer for pair STDP,
    /// so one kernel serves both rules without a null view.
    /// </summary>
    private static void Apply(ref float weight, ref float eligibility, float delta, int isThreeFactor, in PairStdpConstants c)
    {
        if (isThreeFactor != 0) eligibility += delta;
        else weight = PairStdp.Clip(weight + delta, c);
    }

    /// <summary>One index per presynaptic spike: depression along its row with the postsynaptic trace.</summary>
    internal readonly struct PreSpikeKernel(ArrayView<int> spikes, ArrayView<int> rowStart, ArrayView<int> target, ArrayView<float> weight,
        ArrayView<float> postTrace, ArrayView<float> eligibility, PairStdpConstants c, int isThreeFactor) : IRangeKernel
    {
        private readonly ArrayView<int> _spikes = spikes, _rowStart = rowStart, _target = target;
        private readonly ArrayView<float> _weight = weight, _postTrace = postTrace, _eligibility = eligibility;
        private readonly PairStdpConstants _c = c;
        private readonly int _isThreeFactor = isThreeFactor;

        public void Execute(int k)
        {
            var source = _spikes[k];
            for (var s = _rowStart[source]; s < _rowStart[source + 1]; s++)
            {
                var delta = PairStdp.Depression(_weight[s], _postTrace[_target[s]] * _c.DecayMinus, _c);
                Apply(ref _weight[s], ref _eligibility[_isThreeFactor * s], delta, _isThreeFactor, _c);
            }
        }

        public void ExecuteRange(int start, int end)
        {
            Span<int> spikes = _spikes.AsSpan(), rowStart = _rowStart.AsSpan(), target = _target.AsSpan();
            Span<float> weight = _weight.AsSpan(), postTrace = _postTrace.AsSpan(), eligibility = _eligibility.AsSpan();
            for (var k = start; k < end; k++)
            {
                var source = spikes[k];
                for (var s = rowStart[source]; s < rowStart[source + 1]; s++)
                {
                    var delta = PairStdp.Depression(weight[s], postTrace[target[s]] * _c.DecayMinus, _c);
                    Apply(ref weight[s], ref eligibility[_isThreeFactor * s], delta, _isThreeFactor, _c);
                }
            }
        }
    }

    /// <summary>One index per postsynaptic spike: potentiation along its column with the presynaptic trace.</summary>
    internal readonly struct PostSpikeKernel(ArrayView<int> spikes, ArrayView<int> columnStart, ArrayView<int> columnSynapse, ArrayView<int> columnSource,
        ArrayView<float> weight, ArrayView<float> preTrace, ArrayView<float> eligibility, PairStdpConstants c, int isThreeFactor) : IRangeKernel
    {
        private readonly ArrayView<int> _spikes = spikes, _columnStart = columnStart, _columnSynapse = columnSynapse, _columnSource = columnSource;
        private readonly ArrayView<float> _weight = weight, _preTrace = preTrace, _eligibility = eligibility;
        private readonly PairStdpConstants _c = c;
        private readonly int _isThreeFactor = isThreeFactor;

        public void Execute(int k)
        {
            var target = _spikes[k];
            for (var e = _columnStart[target]; e < _columnStart[target + 1]; e++)
            {
                var s = _columnSynapse[e];
                var delta = PairStdp.Potentiation(_weight[s], _preTrace[_columnSource[e]] * _c.DecayPlus, _c);
                Apply(ref _weight[s], ref _eligibility[_isThreeFactor * s], delta, _isThreeFactor, _c);
            }
        }

        public void ExecuteRange(int start, int end)
        {
            Span<int> spikes = _spikes.AsSpan(), columnStart = _columnStart.AsSpan(), columnSynapse = _columnSynapse.AsSpan(), columnSource = _columnSource.AsSpan();
            Span<float> weight = _weight.AsSpan(), preTrace = _preTrace.AsSpan(), eligibility = _eligibility.AsSpan();
            for (var k = start; k < end; k++)
            {
                var target = spikes[k];
                for (var e = columnStart[target]; e < columnStart[target + 1]; e++)
                {
                    var s = columnSynapse[e];
                    var delta = PairStdp.Potentiation(weight[s], preTrace[columnSource[e]] * _c.DecayPlus, _c);
                    Apply(ref weight[s], ref eligibility[_isThreeFactor * s], delta, _isThreeFactor, _c);
                }
            }
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
    /// <see cref="TraceDecayKernel"/> gives x·decay + 1, or 1 for nearest pairing (<see cref="PairStdp.AfterSpike"/>).
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

    /// <summary>Per synapse: the three-factor weight step and the decay of the eligibility.</summary>
    /// <summary>The three-factor update of every synapse, with the neuromodulator's level read from the device (float, as the rule takes it).</summary>
    internal readonly struct EligibilityKernel(ArrayView<float> weight, ArrayView<float> eligibility, ModulatorLevel modulator, ThreeFactorConstants c) : IRangeKernel
    {
        private readonly ArrayView<float> _weight = weight, _eligibility = eligibility;
        private readonly ArrayView<double> _levels = modulator.Levels;
        private readonly int _index = modulator.Index;
        private readonly ThreeFactorConstants _c = c;

        private float Level => _index < 0 ? 0f : (float)_levels[_index];

        public void Execute(int s) => ThreeFactorStdp.Step(ref _weight[s], ref _eligibility[s], Level, _c);

        public void ExecuteRange(int start, int end)
        {
            Span<float> weight = _weight.AsSpan(), eligibility = _eligibility.AsSpan();
            var level = Level;
            var s = start;
            // Vectorised: (η·dt·(n − b)) is the scalar step's first product, so every lane computes what Step computes.
            var gain = new System.Numerics.Vector<float>(_c.RateDt * (level - _c.B));
            var decay = new System.Numerics.Vector<float>(_c.DecayC);
            var low = new System.Numerics.Vector<float>(_c.Pairing.WMin);
            var high = new System.Numerics.Vector<float>(_c.Pairing.WMax);
            for (; s <= end - System.Numerics.Vector<float>.Count; s += System.Numerics.Vector<float>.Count)
            {
                var e = new System.Numerics.Vector<float>(eligibility[s..]);
                var w = new System.Numerics.Vector<float>(weight[s..]) + gain * e;
                System.Numerics.Vector.Min(System.Numerics.Vector.Max(w, low), high).CopyTo(weight[s..]);
                (e * decay).CopyTo(eligibility[s..]);
            }
            for (; s < end; s++) ThreeFactorStdp.Step(ref weight[s], ref eligibility[s], level, _c);
        }
    }
}
