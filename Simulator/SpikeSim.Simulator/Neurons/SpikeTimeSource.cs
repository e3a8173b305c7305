using ILGPU;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Errors;

namespace SpikeSim.Simulator.Neurons;

/// <summary>
/// Neurons that fire at given times. A time t is emitted in step round(t/dt), the step whose
/// grid point is nearest; two spikes of one neuron in one step count once. Steps must be run in
/// order from 0, as the engine does.
/// </summary>
public sealed partial record SpikeTimeSource(IReadOnlyList<(int Neuron, double TimeMs)> Spikes) : INeuronModel
{
    /// <inheritdoc />
    public int InputChannels => 0;

    /// <inheritdoc />
    public IReadOnlyList<StateVariable> StateVariables => [];

    /// <summary>The spikes as (step, neuron), sorted by step: memory in proportion to the spikes, not to the time they span.</summary>
    public (int[] Steps, int[] Neurons) Schedule(int count, double dtMs)
    {
        Discretization.CheckStep(dtMs);
        var entries = new List<(int Step, int Neuron)>(Spikes.Count);
        foreach (var (neuron, time) in Spikes)
        {
            if ((uint)neuron >= (uint)count)
                throw new InvalidParameterException($"A spike time names neuron {neuron}, but the source has {count} neurons.");
            if (!(time >= 0) || double.IsInfinity(time) || time / dtMs >= int.MaxValue)
                throw new InvalidParameterException($"Spike times must be finite, not negative and within {int.MaxValue} steps (got {time} ms).");
            entries.Add(((int)Math.Round(time / dtMs, MidpointRounding.AwayFromZero), neuron));
        }
        entries.Sort();
        return (entries.Select(e => e.Step).ToArray(), entries.Select(e => e.Neuron).ToArray());
    }

    NeuronGroup INeuronModel.CreateGroup(in GroupContext context) => new Group(this, context);

    private sealed class Group : NeuronGroup
    {
        private readonly int[] _steps;
        private readonly DeviceBuffer<int> _neurons;
        private int _next;

        public Group(SpikeTimeSource model, in GroupContext context) : base(context)
        {
            var (steps, neurons) = model.Schedule(Count, context.DtMs);
            _steps = steps;
            _neurons = AddBuffer<int>(neurons.Length);
            _neurons.CopyFrom(neurons);
        }

        public override void Step(IComputeBackend backend, in NeuronStepArgs args)
        {
            backend.Launch(Count, new FillKernel<byte>(args.Spikes, 0));
            while (_next < _steps.Length && _steps[_next] < args.Step) _next++;
            var first = _next;
            while (_next < _steps.Length && _steps[_next] == args.Step) _next++;
            if (_next > first) backend.Launch(_next - first, new Kernel(_neurons.View.SubView(first), args.Spikes));
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
