using SpikeSim.Simulator.Synapses;
using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Simulator.Plasticity;

/// <summary>
/// A learning rule in the event engine: traces and weights are brought up to date only when a spike
/// touches them. The rule's hooks (<see cref="IEventRule"/>) pair at spike emission times, as the time-step engine
/// does, with traces decayed lazily to that moment: x(t) = x(t_k)·e^(−(t − t_k)/τ). A rule that evolves between
/// spikes (three-factor STDP) is carried exactly over each interval between updates by its own
/// <see cref="IEventRule.Advance"/>. Spikes at exactly the same time do not pair.
/// </summary>
internal sealed class ExactPlasticity
{
    private readonly IEventRule _rule;
    private readonly IModulatorHistory? _modulator;
    private readonly int[] _rowStart, _target, _columnStart, _columnSynapse, _columnSource;
    private readonly double[] _weight, _eligibility, _updated;
    private readonly Trace _pre, _post;

    public ExactPlasticity(SparseConnectivity c, IEventRule rule, IModulatorHistory? modulator)
    {
        rule.Validate();
        _rule = rule;
        _modulator = modulator;
        (_rowStart, _target) = (c.RowStart, c.TargetIndex);
        (_columnStart, _columnSynapse, _columnSource) = ColumnIndex.Build(c);
        _weight = c.Weights.Select(w => (double)w).ToArray();
        _eligibility = new double[_weight.Length];
        _updated = new double[_weight.Length];
        _pre = new Trace(c.Sources, rule.PreTauMs, rule.Pairing);
        _post = new Trace(c.Targets, rule.PostTauMs, rule.Pairing);
    }

    /// <summary>The weight of synapse <paramref name="s"/> at <paramref name="t"/>.</summary>
    public double Weight(int s, double t)
    {
        Advance(s, t);
        return _weight[s];
    }

    /// <summary>Every weight at <paramref name="t"/>.</summary>
    public float[] Weights(double t)
    {
        var result = new float[_weight.Length];
        for (var s = 0; s < result.Length; s++) result[s] = (float)Weight(s, t);
        return result;
    }

    /// <summary>Source <paramref name="i"/> fired at <paramref name="t"/>: the pre hook along its row, then its trace.</summary>
    public void PreSpike(int i, double t)
    {
        for (var s = _rowStart[i]; s < _rowStart[i + 1]; s++)
        {
            Advance(s, t);
            _rule.OnPreSpike(ref _weight[s], ref _eligibility[s], _post.At(_target[s], t));
        }
        _pre.Spike(i, t);
    }

    /// <summary>Target <paramref name="j"/> fired at <paramref name="t"/>: the post hook along its column, then its trace.</summary>
    public void PostSpike(int j, double t)
    {
        for (var e = _columnStart[j]; e < _columnStart[j + 1]; e++)
        {
            var s = _columnSynapse[e];
            Advance(s, t);
            _rule.OnPostSpike(ref _weight[s], ref _eligibility[s], _pre.At(_columnSource[e], t));
        }
        _post.Spike(j, t);
    }

    /// <summary>Carries synapse <paramref name="s"/> from its last update to <paramref name="t"/>.</summary>
    private void Advance(int s, double t)
    {
        if (!_rule.EvolvesBetweenSpikes || t <= _updated[s]) return;
        _rule.Advance(ref _weight[s], ref _eligibility[s], _updated[s], t, _modulator);
        _updated[s] = t;
    }

    /// <summary>Per-neuron spike traces, decayed lazily; a spike at exactly t is not part of the trace read at t.</summary>
    private sealed class Trace(int count, double tau, TracePairing pairing)
    {
        private readonly double[] _value = new double[count];
        private readonly double[] _before = new double[count];
        private readonly double[] _time = Enumerable.Repeat(double.NegativeInfinity, count).ToArray();

        public double At(int i, double t)
            => t > _time[i] ? _value[i] * Discretization.Decay(t - _time[i], tau) : _before[i];

        public void Spike(int i, double t)
        {
            var decayed = At(i, t);
            if (t > _time[i]) _before[i] = decayed;
            _value[i] = PairStdp.AfterSpike(decayed, pairing);
            _time[i] = t;
        }
    }
}

/// <summary>The column (by target) index of a CSR projection: for each target, its synapses and their sources.</summary>
internal static class ColumnIndex
{
    public static (int[] Start, int[] Synapse, int[] Source) Build(SparseConnectivity c)
    {
        var start = new int[c.Targets + 1];
        foreach (var t in c.TargetIndex) start[t + 1]++;
        for (var j = 0; j < c.Targets; j++) start[j + 1] += start[j];
        var fill = (int[])start.Clone();
        var synapse = new int[c.TargetIndex.Length];
        var source = new int[c.TargetIndex.Length];
        for (var i = 0; i < c.Sources; i++)
            for (var s = c.RowStart[i]; s < c.RowStart[i + 1]; s++)
            {
                var k = fill[c.TargetIndex[s]]++;
                synapse[k] = s;
                source[k] = i;
            }
        return (start, synapse, source);
    }
}
