using SpikeSim.Simulator.Errors;

namespace SpikeSim.Simulator.Neurons;

/// <summary>
/// The exact, event-driven form of <see cref="CubaLif"/>. Between events, s after t₀,
/// <code>
/// I_c(s) = I_c0·e^(−s/τ_c)                                   c = exc, inh
/// v(s)   = v_∞ + (v₀ − v_∞ − Σ a_c)·e^(−s/τ_m) + Σ a_c·e^(−s/τ_c),   a_c = R·I_c0·τ_c/(τ_c − τ_m)
/// </code>
/// with v_∞ = v_leak + R·I_ext. The next threshold crossing of this sum of exponentials has no
/// closed form; it is found by <see cref="ExponentialSumRoot"/>, which brackets the first crossing
/// rigorously and refines it by bisection to 1e-12 ms.
/// </summary>
public sealed partial record CubaLif : IExactNeuronModel
{
    ExactNeuronGroup IExactNeuronModel.CreateExact(int count, ulong seed)
    {
        ResetModes.CheckInStep(Reset, nameof(CubaLif));
        if (Integrator != Integrator.ExactExponential)
            throw new InvalidParameterException($"The event engine integrates exactly; a CubaLif integrated by {Integrator} runs only in the time-step engine.");
        if (Math.Abs(TauSynExcMs - TauMemMs) < 1e-9 || Math.Abs(TauSynInhMs - TauMemMs) < 1e-9)
            throw new InvalidParameterException("The event engine needs tau_syn different from tau_mem for CubaLif; the time-step engine takes equal ones.");
        return new ExactCuba(this, count);
    }

    private sealed class ExactCuba(CubaLif model, int count) : ExactNeuronGroup(count)
    {
        private readonly double[] _v = Enumerable.Repeat(model.VLeak, count).ToArray();
        private readonly double[] _iExc = new double[count];
        private readonly double[] _iInh = new double[count];
        private readonly double[] _updated = new double[count];
        private readonly double[] _refractoryUntil = Enumerable.Repeat(double.NegativeInfinity, count).ToArray();
        private readonly double[] _current = new double[count];

        public override int BytesPerNeuron => 6 * sizeof(double);

        public override void SetCurrent(int i, double current) => _current[i] = current;

        /// <summary>The state (v, I_exc, I_inh) at <paramref name="t"/> ≥ the last update, without changing it.</summary>
        private (double V, double Exc, double Inh) At(int i, double t)
        {
            var start = Math.Max(_updated[i], _refractoryUntil[i]);
            var exc = _iExc[i] * Discretization.Decay(t - _updated[i], model.TauSynExcMs);
            var inh = _iInh[i] * Discretization.Decay(t - _updated[i], model.TauSynInhMs);
            if (t <= start) return (_v[i], exc, inh);
            var excAtStart = _iExc[i] * Discretization.Decay(start - _updated[i], model.TauSynExcMs);
            var inhAtStart = _iInh[i] * Discretization.Decay(start - _updated[i], model.TauSynInhMs);
            var terms = Terms(i, _v[i], excAtStart, inhAtStart);
            return (terms.Value(t - start) + model.VThreshold, exc, inh);
        }

        /// <summary>v(s) − θ as a constant plus three decaying exponentials.</summary>
        private ExponentialSumRoot Terms(int i, double v0, double exc0, double inh0)
        {
            var rest = model.VLeak + model.R * _current[i];
            var aExc = model.R * exc0 * model.TauSynExcMs / (model.TauSynExcMs - model.TauMemMs);
            var aInh = model.R * inh0 * model.TauSynInhMs / (model.TauSynInhMs - model.TauMemMs);
            return new ExponentialSumRoot(rest - model.VThreshold,
                [(v0 - rest - aExc - aInh, model.TauMemMs), (aExc, model.TauSynExcMs), (aInh, model.TauSynInhMs)]);
        }

        private void Advance(int i, double t)
        {
            (_v[i], _iExc[i], _iInh[i]) = At(i, t);
            _updated[i] = t;
        }

        public override bool Receive(int i, double t, int channel, double weight)
        {
            Advance(i, t);
            if (channel == Excitatory) _iExc[i] += weight;
            else _iInh[i] += weight;
            return false; // a current jump moves v continuously: crossings come from NextSpike
        }

        /// <remarks>
        /// A jump ΔI changes v(s) by R·ΔI·τ_c·(e^(−s/τ_c) − e^(−s/τ_m))/(τ_c − τ_m), whose factor after ΔI is positive for every
        /// s &gt; 0 whichever time constant is longer: a negative jump lowers v at every later time.
        /// </remarks>
        public override bool OnlyPostpones(int channel, double weight) => weight < 0;

        public override double NextSpike(int i, double t)
        {
            var from = Math.Max(t, _refractoryUntil[i]);
            var (v, exc, inh) = At(i, from);
            var crossing = Terms(i, v, exc, inh).FirstCrossing();
            return from + crossing;
        }

        public override void Fire(int i, double t)
        {
            Advance(i, t);
            _v[i] = ResetModes.AfterSpike(_v[i], model.VThreshold, model.VReset, model.Reset);
            _refractoryUntil[i] = t + model.RefractoryMs;
        }

        public override double Voltage(int i, double t) => At(i, t).V;

        public override void SetInitial(StateVariable variable, float[] values)
        {
            var target = variable == V ? _v : variable == ISynExc ? _iExc : variable == ISynInh ? _iInh
                : throw new InvalidParameterException($"CubaLif has no state variable '{variable.Name}'.");
            for (var k = 0; k < values.Length; k++) target[k] = values[k];
        }
    }
}
