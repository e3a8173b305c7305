using SpikeSim.Simulator.Errors;

namespace SpikeSim.Simulator.Neurons;

/// <summary>
/// The exact, event-driven form of <see cref="IntegrateAndFire"/>: v(t) = v₀ + R·I·(t − t₀) between
/// events; with R·I &gt; 0 the next crossing is t₀ + (θ − v₀)/(R·I).
/// </summary>
public sealed partial record IntegrateAndFire : IExactNeuronModel
{
    ExactNeuronGroup IExactNeuronModel.CreateExact(int count, ulong seed)
    {
        ResetModes.CheckInStep(Reset, nameof(IntegrateAndFire));
        return new ExactIf(this, count);
    }

    private sealed class ExactIf(IntegrateAndFire model, int count) : ExactNeuronGroup(count)
    {
        private readonly double[] _v = new double[count];
        private readonly double[] _updated = new double[count];
        private readonly double[] _refractoryUntil = Enumerable.Repeat(double.NegativeInfinity, count).ToArray();
        private readonly double[] _slope = new double[count];

        public override int BytesPerNeuron => 4 * sizeof(double);

        public override void SetCurrent(int i, double current) => _slope[i] = model.R * current;

        public override bool Receive(int i, double t, int channel, double weight)
        {
            if (t < _refractoryUntil[i]) return false;
            _v[i] = Voltage(i, t) + weight;
            _updated[i] = t;
            return model.Comparison == SpikeComparison.GreaterOrEqual ? _v[i] >= model.VThreshold : _v[i] > model.VThreshold;
        }

        public override double NextSpike(int i, double t)
        {
            if (!(_slope[i] > 0)) return double.PositiveInfinity;
            var from = Math.Max(t, _refractoryUntil[i]);
            var v = Voltage(i, from);
            return v >= model.VThreshold ? from : from + (model.VThreshold - v) / _slope[i];
        }

        public override void Fire(int i, double t)
        {
            var v = Voltage(i, t);
            _v[i] = ResetModes.AfterSpike(v, model.VThreshold, model.VReset, model.Reset);
            _updated[i] = t;
            _refractoryUntil[i] = t + model.RefractoryMs;
        }

        public override double Voltage(int i, double t)
        {
            var start = Math.Max(_updated[i], _refractoryUntil[i]);
            return t <= start ? _v[i] : _v[i] + _slope[i] * (t - start);
        }

        public override void SetInitial(StateVariable variable, float[] values)
        {
            if (variable != V) throw new InvalidParameterException($"IntegrateAndFire has no state variable '{variable.Name}'.");
            for (var i = 0; i < values.Length; i++) _v[i] = values[i];
        }
    }
}
