using ILGPU;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Errors;

namespace SpikeSim.Simulator.Neurons;

/// <summary>
/// Neurons that fire at given times. A time t is emitted in step round(t/dt), the step whose
/// grid point is nearest; two spikes of one neuron in one step count once.
/// </summary>
public sealed partial record SpikeTimeSource(IReadOnlyList<(int Neuron, double TimeMs)> Spikes) : INeuronModel
{
    /// <inheritdoc />
    public int InputChannels => 0;

    /// <inheritdoc />
    public IReadOnlyList<StateVariable> StateVariables => [];

    /// <summary>The schedule as CSR over steps: neurons firing in step s are <c>neurons[start[s]..start[s+1]]</c>.</summary>
    public (int[] Start, int[] Neurons) Schedule(int count, double dtMs)
    {
        Discretization.CheckStep(dtMs);
        var entries = new List<(int Step, int Neuron)>(Spikes.Count);
        foreach (var (neuron, time) in Spikes)
        {
            if ((uint)neuron >= (uint)count)
                throw new InvalidParameterException($"A spike time names neuron {neuron}, but the source has {count} neurons.");
            if (!(time >= 0) || double.IsInfinity(time))
                throw new InvalidParameterException($"Spike times must be finite and not negative (got {time} ms).");
            entries.Add(((int)Math.Round(time / dtMs, MidpointRounding.AwayFromZero), neuron));
        }
        entries.Sort();
        var steps = entries.Count == 0 ? 0 : entries[^1].Step + 1;
        var start = new int[steps + 1];
        foreach (var (step, _) in entries) start[step + 1]++;
        for (var s = 0; s < steps; s++) start[s + 1] += start[s];
        return (start, entries.Select(e => e.Neuron).ToArray());
    }

    NeuronGroup INeuronModel.CreateGroup(in GroupContext context) => new Group(this, context);

    private sealed class Group : NeuronGroup
    {
        private readonly int[] _start;
        private readonly DeviceBuffer<int> _neurons;

        public Group(SpikeTimeSource model, in GroupContext context) : base(context)
        {
            var (start, neurons) = model.Schedule(Count, context.DtMs);
            _start = start;
            _neurons = AddBuffer<int>(neurons.Length);
            _neurons.CopyFrom(neurons);
        }

        public override void Step(IComputeBackend backend, in NeuronStepArgs args)
        {
            backend.Launch(Count, new FillKernel<byte>(args.Spikes, 0));
            if (args.Step + 1 >= _start.Length) return;
            var first = _start[args.Step];
            backend.Launch(_start[args.Step + 1] - first, new Kernel(_neurons.View.SubView(first), args.Spikes));
        }
    }

    internal readonly struct Kernel(ArrayView<int> neurons, ArrayView<byte> spikes) : IRangeKernel
    {
        private readonly ArrayView<int> _neurons = neurons;
        private readonly ArrayView<byte> _spikes = spikes;

        // Two entries for one neuron in one step both write 1: a benign race.
        public void Execute(int k) => _spikes[_neurons[k]] = 1;

        public void ExecuteRange(int start, int end)
        {
            Span<int> neurons = _neurons.AsSpan();
            Span<byte> spikes = _spikes.AsSpan();
            for (var k = start; k < end; k++) spikes[neurons[k]] = 1;
        }
    }
}
