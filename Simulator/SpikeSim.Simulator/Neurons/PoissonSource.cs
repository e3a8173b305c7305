using ILGPU;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Random;

namespace SpikeSim.Simulator.Neurons;

/// <summary>
/// Independent Poisson spike generators, one per neuron: in each step neuron i fires with
/// probability rate_i·dt (Bernoulli approximation of a Poisson process, exact as dt → 0).
/// Draws come from <see cref="CounterRng"/> keyed by (seed, neuron, step), so every backend and
/// thread count produces the same spikes.
/// </summary>
public sealed partial record PoissonSource(double RateHz) : INeuronModel
{
    /// <summary>Per-neuron rates; when set they replace <see cref="RateHz"/>.</summary>
    public IReadOnlyList<double>? RatesHz { get; init; }

    /// <inheritdoc />
    public int InputChannels => 0;

    /// <inheritdoc />
    public IReadOnlyList<StateVariable> StateVariables => [];

    /// <summary>The per-step firing probabilities for <paramref name="count"/> neurons.</summary>
    public float[] Probabilities(int count, double dtMs)
    {
        Discretization.CheckStep(dtMs);
        if (RatesHz is not null && RatesHz.Count != count)
            throw new InvalidParameterException($"PoissonSource has {RatesHz.Count} rates for {count} neurons.");
        var p = new float[count];
        for (var i = 0; i < count; i++)
        {
            var rate = RatesHz?[i] ?? RateHz;
            var prob = rate * dtMs * 1e-3;
            if (!(rate >= 0) || prob > 1)
                throw new InvalidParameterException($"A Poisson rate must lie in [0, 1/dt] = [0, {1e3 / dtMs} Hz] (got {rate} Hz).");
            p[i] = (float)prob;
        }
        return p;
    }

    NeuronGroup INeuronModel.CreateGroup(in GroupContext context) => new Group(this, context);

    private sealed class Group : NeuronGroup
    {
        private readonly DeviceBuffer<float> _probability;
        private readonly ulong _seed;

        public Group(PoissonSource model, in GroupContext context) : base(context)
        {
            _seed = context.Seed;
            _probability = AddBuffer<float>(Count);
            _probability.CopyFrom(model.Probabilities(Count, context.DtMs));
        }

        public override void Step(IComputeBackend backend, in NeuronStepArgs args)
            => backend.Launch(Count, new Kernel(_probability.View, args.Spikes, _seed, args.Step));
    }

    internal readonly struct Kernel(ArrayView<float> probability, ArrayView<byte> spikes, ulong seed, int step) : IRangeKernel
    {
        private readonly ArrayView<float> _probability = probability;
        private readonly ArrayView<byte> _spikes = spikes;
        private readonly ulong _seed = seed;
        private readonly int _step = step;

        public void Execute(int i) => _spikes[i] = Fires(i, _probability[i]);

        public void ExecuteRange(int start, int end)
        {
            Span<float> probability = _probability.AsSpan();
            Span<byte> spikes = _spikes.AsSpan();
            for (var i = start; i < end; i++) spikes[i] = Fires(i, probability[i]);
        }

        private byte Fires(int i, float probability)
            => CounterRng.Uniform(_seed, (uint)i, (uint)_step) < probability ? (byte)1 : (byte)0;
    }
}
