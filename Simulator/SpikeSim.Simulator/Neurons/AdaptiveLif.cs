using ILGPU;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Simulator.Neurons;

/// <summary>
/// Adaptive LIF (ALIF, Bellec et al. 2018): a <see cref="Lif"/> whose threshold rises by β with
/// each spike and relaxes with τ_adapt:
/// <code>
/// τ·dv/dt = (v_leak − v) + R·I             v ← v + w on each arriving event
/// τ_adapt·da/dt = −a                        a ← a + 1 on each spike
/// θ = v_threshold + β·a;   v &gt; θ  ⇒  spike, reset (to v_reset, or subtract θ − v_reset)
/// </code>
/// Within a step a decays first, then v is integrated and tested against θ.
/// </summary>
public sealed record AdaptiveLif(
    double TauMs = 20.0,
    double TauAdaptMs = 200.0,
    double Beta = 0.2,
    double R = 1.0,
    double VLeak = 0.0,
    double VThreshold = 1.0,
    double VReset = 0.0,
    double RefractoryMs = 0.0,
    ResetMode Reset = ResetMode.ToValue,
    Integrator Integrator = Integrator.ExactExponential,
    SpikeComparison Comparison = SpikeComparison.Greater) : INeuronModel
{
    /// <summary>Membrane potential.</summary>
    public static readonly StateVariable V = new("v", "mV");
    /// <summary>Threshold adaptation (dimensionless; the threshold is v_threshold + β·a).</summary>
    public static readonly StateVariable A = new("a", "1");

    /// <inheritdoc />
    public int InputChannels => 1;

    /// <inheritdoc />
    public IReadOnlyList<StateVariable> StateVariables => [V, A];

    /// <summary>The constants of one step of length <paramref name="dtMs"/>.</summary>
    public AdaptiveLifConstants Discretize(double dtMs)
    {
        Discretization.CheckTimeConstant("tau_adapt", TauAdaptMs, dtMs);
        var lif = new Lif(TauMs, R, VLeak, VThreshold, VReset, RefractoryMs, Reset, Integrator, Comparison).Discretize(dtMs);
        return new AdaptiveLifConstants(lif, (float)Discretization.Decay(dtMs, TauAdaptMs, Integrator), (float)Beta);
    }

    /// <summary>One step of one neuron.</summary>
    public static bool Step(ref AdaptiveLifState s, in AdaptiveLifConstants c, float input, float current)
    {
        var a = s.A * c.DecayAdapt;
        if (s.Refractory > 0)
        {
            s.Refractory--;
            s.A = a;
            return false;
        }
        var m = c.Neuron;
        s.V = LeakyIntegrator.Step(s.V, m.Membrane, input, current);
        var fired = m.Spike.Settle(ref s.V, ref s.Refractory, m.Spike.VThreshold + c.Beta * a);
        s.A = fired ? a + 1f : a;
        return fired;
    }

    NeuronGroup INeuronModel.CreateGroup(in GroupContext context) => new Group(this, context);

    private sealed class Group : NeuronGroup
    {
        private readonly AdaptiveLifConstants _constants;
        private readonly DeviceBuffer<float> _v, _a;
        private readonly DeviceBuffer<int> _refractory;

        public Group(AdaptiveLif model, in GroupContext context) : base(context)
        {
            _constants = model.Discretize(context.DtMs);
            _v = AddState(V, model.VLeak);
            _a = AddState(A);
            _refractory = AddBuffer<int>(Count);
        }

        public override void Step(IComputeBackend backend, in NeuronStepArgs args)
            => backend.Launch(Count, new Kernel(_constants, _v.View, _a.View, _refractory.View, args));
    }

    internal readonly struct Kernel(AdaptiveLifConstants c, ArrayView<float> v, ArrayView<float> a, ArrayView<int> refractory, NeuronStepArgs args) : IRangeKernel
    {
        private readonly AdaptiveLifConstants _c = c;
        private readonly ArrayView<float> _v = v, _a = a, _input = args.SynapticInput, _current = args.Current;
        private readonly ArrayView<int> _refractory = refractory;
        private readonly ArrayView<byte> _spikes = args.Spikes;

        public void Execute(int i) => Body(ref _v[i], ref _a[i], ref _refractory[i], ref _input[i], _current[i], ref _spikes[i], _c);

        public void ExecuteRange(int start, int end)
        {
            Span<float> v = _v.AsSpan(), a = _a.AsSpan(), input = _input.AsSpan(), current = _current.AsSpan();
            Span<int> refractory = _refractory.AsSpan();
            Span<byte> spikes = _spikes.AsSpan();
            for (var i = start; i < end; i++) Body(ref v[i], ref a[i], ref refractory[i], ref input[i], current[i], ref spikes[i], _c);
        }

        private static void Body(ref float v, ref float a, ref int refractory, ref float input, float current, ref byte spike, in AdaptiveLifConstants c)
        {
            var s = new AdaptiveLifState(v, a, refractory);
            var fired = AdaptiveLif.Step(ref s, c, input, current);
            input = 0f;
            v = s.V;
            a = s.A;
            refractory = s.Refractory;
            spike = fired ? (byte)1 : (byte)0;
        }
    }
}

/// <summary>The per-step constants of <see cref="AdaptiveLif"/>.</summary>
public readonly record struct AdaptiveLifConstants(LifConstants Neuron, float DecayAdapt, float Beta);

/// <summary>The state of one <see cref="AdaptiveLif"/> neuron.</summary>
public struct AdaptiveLifState(float v, float a, int refractory)
{
    /// <summary>Membrane potential.</summary>
    public float V = v;
    /// <summary>Adaptation.</summary>
    public float A = a;
    /// <summary>Steps of refractoriness left.</summary>
    public int Refractory = refractory;
}
