using SpikeSim.Simulator.Errors;

namespace SpikeSim.Simulator.Neurons;

/// <summary>
/// The exact, event-driven form of <see cref="Lif"/>: between events, with the injected current I
/// constant, v(t) = v_∞ + (v₀ − v_∞)·e^(−(t − t₀)/τ) with v_∞ = v_leak + R·I; an event adds w. If
/// v_∞ &gt; θ the next threshold crossing is t* = t₀ + τ·ln((v_∞ − v₀)/(v_∞ − θ)).
/// </summary>
public sealed partial record Lif : IExactNeuronModel
{
    ExactNeuronGroup IExactNeuronModel.CreateExact(int count, ulong seed)
    {
        ResetModes.CheckInStep(Reset, nameof(Lif));
        if (Integrator != Integrator.ExactExponential)
            throw new InvalidParameterException($"The event engine integrates exactly; a Lif integrated by {Integrator} runs only in the time-step engine.");
        return new ExactLif(this, count);
    }

    private sealed class ExactLif(Lif model, int count) : ExactNeuronGroup(count)
    {
        private readonly double[] _v = Enumerable.Repeat(model.VLeak, count).ToArray();
        private readonly double[] _updated = new double[count];
        private readonly double[] _refractoryUntil = Enumerable.Repeat(double.NegativeInfinity, count).ToArray();
        private readonly double[] _current = new double[count];

        public override int BytesPerNeuron => 4 * sizeof(double);

        public override void SetCurrent(int i, double current) => _current[i] = current;

        private double Rest(int i) => model.VLeak + model.R * _current[i];

        private void Advance(int i, double t)
        {
            var start = Math.Max(_updated[i], _refractoryUntil[i]);
            if (t > start)
            {
                var rest = Rest(i);
                _v[i] = rest + (_v[i] - rest) * Discretization.Decay(t - start, model.TauMs);
            }
            _updated[i] = t;
        }

        public override bool Receive(int i, double t, int channel, double weight)
        {
            if (t < _refractoryUntil[i]) return false; // events in the refractory period are lost, as in the step engine
            Advance(i, t);
            _v[i] += weight;
            return model.Comparison == SpikeComparison.GreaterOrEqual ? _v[i] >= model.VThreshold : _v[i] > model.VThreshold;
        }

        public override double NextSpike(int i, double t)
        {
            var rest = Rest(i);
            if (!(rest > model.VThreshold)) return double.PositiveInfinity;
            var from = Math.Max(t, _refractoryUntil[i]);
            var v = Voltage(i, from);
            return v >= model.VThreshold ? from : from + model.TauMs * Math.Log((rest - v) / (rest - model.VThreshold));
        }

        public override void Fire(int i, double t)
        {
            Advance(i, t);
            _v[i] = ResetModes.AfterSpike(_v[i], model.VThreshold, model.VReset, model.Reset);
            _refractoryUntil[i] = t + model.RefractoryMs;
        }

        public override double Voltage(int i, double t)
        {
            var start = Math.Max(_updated[i], _refractoryUntil[i]);
            if (t <= start) return _v[i];
            var rest = Rest(i);
            return rest + (_v[i] - rest) * Discretization.Decay(t - start, model.TauMs);
        }

        public override void SetInitial(StateVariable variable, float[] values)
        {
            if (variable != V) throw new InvalidParameterException($"Lif has no state variable '{variable.Name}'.");
            for (var i = 0; i < values.Length; i++) _v[i] = values[i];
        }
    }
}
