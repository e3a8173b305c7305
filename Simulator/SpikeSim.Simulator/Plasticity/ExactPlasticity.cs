using SpikeSim.Simulator.Synapses;
using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Simulator.Plasticity;

/// <summary>
/// A learning rule in the event engine: traces and weights are brought up to date only when a spike
/// touches them. Pair STDP pairs at spike emission times, as the time-step engine does, with traces
/// decayed lazily to that moment: x(t) = x(t_k)·e^(−(t − t_k)/τ). A three-factor rule integrates
/// w′ = η·(n − b)·c exactly over each interval between updates (<see cref="ModulatorHistory"/>) and
/// clips the weight at update times. Spikes at exactly the same time do not pair.
/// </summary>
internal sealed class ExactPlasticity
{
    private readonly PairStdp _pairing;
    private readonly ThreeFactorStdp? _threeFactor;
    private readonly ModulatorHistory? _modulator;
    private readonly int[] _rowStart, _target, _columnStart, _columnSynapse, _columnSource;
    private readonly double[] _weight, _eligibility, _updated;
    private readonly Trace _pre, _post;

    public ExactPlasticity(SparseConnectivity c, IPlasticityRule rule, ModulatorHistory? modulator)
    {
        IPlasticityRule.RequireKnown(rule, "event engine");
        _pairing = rule.Pairing;
        _threeFactor = rule as ThreeFactorStdp;
        _modulator = modulator;
        (_rowStart, _target) = (c.RowStart, c.TargetIndex);
        (_columnStart, _columnSynapse, _columnSource) = ColumnIndex.Build(c);
        _weight = c.Weights.Select(w => (double)w).ToArray();
        _eligibility = new double[_weight.Length];
        _updated = new double[_weight.Length];
        _pre = new Trace(c.Sources, _pairing.TauPlusMs, _pairing.Pairing);
        _post = new Trace(c.Targets, _pairing.TauMinusMs, _pairing.Pairing);
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

    /// <summary>Source <paramref name="i"/> fired at <paramref name="t"/>: depression along its row, then its trace.</summary>
    public void PreSpike(int i, double t)
    {
        for (var s = _rowStart[i]; s < _rowStart[i + 1]; s++)
        {
            Pair(s, t, PairStdpMath.Depression(_pairing, _weight[s], _post.At(_target[s], t)));
        }
        _pre.Spike(i, t);
    }

    /// <summary>Target <paramref name="j"/> fired at <paramref name="t"/>: potentiation along its column, then its trace.</summary>
    public void PostSpike(int j, double t)
    {
        for (var e = _columnStart[j]; e < _columnStart[j + 1]; e++)
        {
            var s = _columnSynapse[e];
            Pair(s, t, PairStdpMath.Potentiation(_pairing, _weight[s], _pre.At(_columnSource[e], t)));
        }
        _post.Spike(j, t);
    }

    private void Pair(int s, double t, double delta)
    {
        Advance(s, t);
        if (_threeFactor is null) _weight[s] = Math.Clamp(_weight[s] + delta, _pairing.WMin, _pairing.WMax);
        else _eligibility[s] += delta;
    }

    /// <summary>Three-factor: integrates the weight from its last update to <paramref name="t"/> and decays the eligibility.</summary>
    private void Advance(int s, double t)
    {
        if (_threeFactor is null || t <= _updated[s]) return;
        var c0 = _eligibility[s];
        if (c0 != 0)
        {
            var change = _threeFactor.LearningRate * _modulator!.Integral(_updated[s], t, c0, _threeFactor.TauCMs, _threeFactor.B);
            _weight[s] = Math.Clamp(_weight[s] + change, _pairing.WMin, _pairing.WMax);
            _eligibility[s] = c0 * Discretization.Decay(t - _updated[s], _threeFactor.TauCMs);
        }
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
            _value[i] = pairing == TracePairing.Nearest ? 1 : decayed + 1;
            _time[i] = t;
        }
    }
}

/// <summary>The pair-STDP changes of <see cref="PairStdp"/> in double precision, for the event engine.</summary>
internal static class PairStdpMath
{
    public static double Potentiation(PairStdp p, double w, double preTrace)
        => p.Dependence == WeightDependence.Additive ? p.APlus * preTrace : p.APlus * (p.WMax - w) * preTrace;

    public static double Depression(PairStdp p, double w, double postTrace)
        => p.Dependence == WeightDependence.Additive ? -p.AMinus * postTrace : -p.AMinus * (w - p.WMin) * postTrace;
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
