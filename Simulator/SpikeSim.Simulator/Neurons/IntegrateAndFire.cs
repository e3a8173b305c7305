using ILGPU;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Simulator.Neurons;

/// <summary>
/// Non-leaky integrate-and-fire neuron with delta synapses, NIR's <c>IF</c>:
/// <code>
/// dv/dt = R·I   (per ms)            v ← v + w on each arriving event
/// v &gt; v_threshold  ⇒  spike, reset, refractory for t_ref
/// </code>
/// With I held over a step the step is exact under either integrator: v ← v + R·I·dt + input.
/// </summary>
public sealed partial record IntegrateAndFire(
    double R = 1.0,
    double VThreshold = 1.0,
    double VReset = 0.0,
    double RefractoryMs = 0.0,
    ResetMode Reset = ResetMode.ToValue,
    SpikeComparison Comparison = SpikeComparison.Greater) : INeuronModel
{
    /// <summary>Membrane potential.</summary>
    public static readonly StateVariable V = new("v", "mV");

    /// <inheritdoc />
    public int InputChannels => 1;

    /// <inheritdoc />
    public IReadOnlyList<StateVariable> StateVariables => [V];

    /// <summary>The constants of one step of length <paramref name="dtMs"/>.</summary>
    public IntegrateAndFireConstants Discretize(double dtMs)
    {
        Discretization.CheckStep(dtMs);
        Discretization.CheckRefractory(RefractoryMs);
        Discretization.CheckThreshold(VThreshold, VReset);
        return new IntegrateAndFireConstants((float)(R * dtMs),
            new SpikeRule(VThreshold, VReset, Comparison, Reset, Discretization.RefractorySteps(RefractoryMs, dtMs)));
    }

    /// <summary>One step of one neuron.</summary>
    public static bool Step(ref LifState s, in IntegrateAndFireConstants c, float input, float current)
    {
        if (s.Refractory > 0)
        {
            s.Refractory--;
            return false;
        }
        s.V = s.V + current * c.CurrentGain + input;
        return c.Spike.Settle(ref s.V, ref s.Refractory, c.Spike.VThreshold);
    }

    NeuronGroup INeuronModel.CreateGroup(in GroupContext context) => new Group(this, context);

    private sealed class Group : NeuronGroup
    {
        private readonly IntegrateAndFireConstants _constants;
        private readonly DeviceBuffer<float> _v;
        private readonly DeviceBuffer<int> _refractory;

        public Group(IntegrateAndFire model, in GroupContext context) : base(context)
        {
            _constants = model.Discretize(context.DtMs);
            _v = AddState(V);
            _refractory = AddBuffer<int>(Count);
        }

        public override void Step(IComputeBackend backend, in NeuronStepArgs args)
            => backend.Launch(Count, new Kernel(_constants, _v.View, _refractory.View, args));
    }

    internal readonly struct Kernel(IntegrateAndFireConstants c, ArrayView<float> v, ArrayView<int> refractory, NeuronStepArgs args) : IRangeKernel
    {
        private readonly IntegrateAndFireConstants _c = c;
        private readonly ArrayView<float> _v = v, _input = args.SynapticInput, _current = args.Current;
        private readonly ArrayView<int> _refractory = refractory;
        private readonly ArrayView<byte> _spikes = args.Spikes;

        public void Execute(int i) => Body(ref _v[i], ref _refractory[i], ref _input[i], _current[i], ref _spikes[i], _c);

        public void ExecuteRange(int start, int end)
        {
            Span<float> v = _v.AsSpan(), input = _input.AsSpan(), current = _current.AsSpan();
            Span<int> refractory = _refractory.AsSpan();
            Span<byte> spikes = _spikes.AsSpan();
            for (var i = start; i < end; i++) Body(ref v[i], ref refractory[i], ref input[i], current[i], ref spikes[i], _c);
        }

        private static void Body(ref float v, ref int refractory, ref float input, float current, ref byte spike, in IntegrateAndFireConstants c)
        {
            var s = new LifState(v, refractory);
            var fired = IntegrateAndFire.Step(ref s, c, input, current);
            input = 0f;
            v = s.V;
            refractory = s.Refractory;
            spike = fired ? (byte)1 : (byte)0;
        }
    }
}

/// <summary>The per-step constants of <see cref="IntegrateAndFire"/>.</summary>
public readonly record struct IntegrateAndFireConstants(float CurrentGain, SpikeRule Spike);
