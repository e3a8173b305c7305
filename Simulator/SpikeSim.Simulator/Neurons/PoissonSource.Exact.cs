using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Random;

namespace SpikeSim.Simulator.Neurons;

/// <summary>
/// The exact, event-driven form of <see cref="PoissonSource"/>: each neuron's inter-spike intervals
/// are exponential with mean 1/rate, drawn from <see cref="CounterRng"/> keyed by (seed, neuron, k),
/// so a neuron's train does not depend on any other event.
/// </summary>
public sealed partial record PoissonSource : IExactNeuronModel
{
    ExactNeuronGroup IExactNeuronModel.CreateExact(int count, ulong seed) => new ExactPoisson(this, count, seed);

    private sealed class ExactPoisson : ExactNeuronGroup
    {
        private readonly double[] _meanIntervalMs;
        private readonly uint[] _drawn;
        private readonly ulong _seed;

        public ExactPoisson(PoissonSource model, int count, ulong seed) : base(count)
        {
            _seed = seed;
            _drawn = new uint[count];
            _meanIntervalMs = new double[count];
            if (model.RatesHz is not null && model.RatesHz.Count != count)
                throw new InvalidParameterException($"PoissonSource has {model.RatesHz.Count} rates for {count} neurons.");
            for (var i = 0; i < count; i++)
            {
                var rate = model.RatesHz?[i] ?? model.RateHz;
                if (!(rate >= 0) || double.IsInfinity(rate)) throw new InvalidParameterException($"A Poisson rate must be zero or positive (got {rate} Hz).");
                _meanIntervalMs[i] = rate == 0 ? double.PositiveInfinity : 1000.0 / rate;
            }
        }

        public override int BytesPerNeuron => sizeof(double) + sizeof(uint);

        public override bool Receive(int i, double t, int channel, double weight) => false;

        public override double NextSpike(int i, double t)
        {
            return t + CounterRng.Exponential(_seed, (uint)i, _drawn[i]++, _meanIntervalMs[i]);
        }

        public override void Fire(int i, double t)
        {
        }

        public override double Voltage(int i, double t) => 0;

        public override void SetInitial(StateVariable variable, float[] values)
            => throw new InvalidParameterException("A Poisson source has no state.");
    }
}
