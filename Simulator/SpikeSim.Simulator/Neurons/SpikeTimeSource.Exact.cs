using SpikeSim.Simulator.Errors;

namespace SpikeSim.Simulator.Neurons;

/// <summary>The exact, event-driven form of <see cref="SpikeTimeSource"/>: spikes at exactly the given times.</summary>
public sealed partial record SpikeTimeSource : IExactNeuronModel
{
    ExactNeuronGroup IExactNeuronModel.CreateExact(int count, ulong seed) => new ExactTimes(this, count);

    private sealed class ExactTimes : ExactNeuronGroup
    {
        private readonly double[][] _times;
        private readonly int[] _next;

        public ExactTimes(SpikeTimeSource model, int count) : base(count)
        {
            var lists = Enumerable.Range(0, count).Select(_ => new List<double>()).ToArray();
            foreach (var (neuron, time) in model.Spikes)
            {
                if ((uint)neuron >= (uint)count)
                    throw new InvalidParameterException($"A spike time names neuron {neuron}, but the source has {count} neurons.");
                if (!(time >= 0) || double.IsInfinity(time))
                    throw new InvalidParameterException($"Spike times must be finite and not negative (got {time} ms).");
                lists[neuron].Add(time);
            }
            _times = lists.Select(l => l.Order().ToArray()).ToArray();
            _next = new int[count];
        }

        public override int BytesPerNeuron => sizeof(int) + IntPtr.Size;

        public override bool Receive(int i, double t, int channel, double weight) => false;

        public override double NextSpike(int i, double t)
        {
            var times = _times[i];
            while (_next[i] < times.Length && times[_next[i]] < t) _next[i]++;
            return _next[i] < times.Length ? times[_next[i]++] : double.PositiveInfinity;
        }

        public override void Fire(int i, double t)
        {
        }

        public override double Voltage(int i, double t) => 0;

        public override void SetInitial(StateVariable variable, float[] values)
            => throw new InvalidParameterException("A spike-time source has no state.");
    }
}
