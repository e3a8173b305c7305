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
/// <para>
/// With a reset at the next step (<see cref="ResetMode.SubtractAtNextStep"/>, <see cref="ResetMode.ZeroAtNextStep"/>) a
/// spike's effects — the reset and the adaptation's increment — land at the next step, undecayed. With
/// <see cref="Integrator.DiscreteTime"/>, R = 1 and v_leak = 0 this is the discrete-time ALIF of trainable layers (Bellec et
/// al. 2018's LSNN; β = 0 is their LIF, snnTorch's <c>Leaky</c>):
/// </para>
/// <code>
/// a[t] = ρ·a[t−1] + s[t−1]
/// u[t] = β_m·u[t−1] + h[t] + I − θ·s[t−1]          (SubtractAtNextStep)   or   β_m·u[t−1]·(1 − s[t−1]) + h[t] + I   (ZeroAtNextStep)
/// s[t] = H(u[t] − θ − β·a[t]),   β_m = e^(−Δt/τ),  ρ = e^(−Δt/τ_adapt)
/// </code>
/// <see cref="AdaptiveLifConstants.StepAtNextStep"/> is that step, which the training scans, forward and backward, and the
/// time-step engine all call, so a trained layer runs in the simulator with the same spikes, bit for bit.
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
        Discretization.CheckTimeConstant("tau_adapt", TauAdaptMs, dtMs, Integrator);
        ResetModes.CheckEitherTiming(nameof(AdaptiveLif), Reset, VThreshold, VReset, RefractoryMs, Comparison);
        if (!double.IsFinite(Beta)) throw new Errors.InvalidParameterException($"The adaptation strength beta must be finite (got {Beta}).");
        var lif = new Lif(TauMs, R, VLeak, VThreshold, VReset, RefractoryMs, Reset, Integrator, Comparison).Discretize(dtMs);
        return new AdaptiveLifConstants(lif, (float)Discretization.Decay(dtMs, TauAdaptMs, Integrator), (float)Beta);
    }

    /// <summary>One step of one neuron with the reset in the step of the spike.</summary>
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

    NeuronGroup INeuronModel.CreateGroup(in GroupContext context) => ResetModes.IsAtNextStep(Reset)
        ? new NextStepGroup(Discretize(context.DtMs), (float)VLeak, A, context)
        : new Group(this, context);

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

/// <summary>
/// A group of <see cref="AdaptiveLif"/> or <see cref="Lif"/> neurons that reset at the next step: each steps by
/// <see cref="AdaptiveLifConstants.StepAtNextStep"/>, keeping its last spike s (and, for a <see cref="Lif"/>, an adaptation
/// that stays 0·a + s and weighs nothing).
/// </summary>
internal sealed class NextStepGroup : NeuronGroup
{
    private readonly AdaptiveLifConstants _constants;
    private readonly DeviceBuffer<float> _u, _a, _s;

    /// <summary>The group; <paramref name="adaptation"/> names the adaptation as a state variable, or is null where it is internal.</summary>
    public NextStepGroup(AdaptiveLifConstants constants, float vStart, StateVariable? adaptation, in GroupContext context) : base(context)
    {
        _constants = constants;
        _u = AddState(AdaptiveLif.V, vStart);
        _a = adaptation is null ? AddBuffer<float>(Count) : AddState(adaptation);
        _s = AddBuffer<float>(Count);
    }

    public override void Step(IComputeBackend backend, in NeuronStepArgs args)
        => backend.Launch(Count, new NextStepKernel(_constants, _u.View, _a.View, _s.View, args));
}

/// <summary>The per-step constants of <see cref="AdaptiveLif"/> (and of a <see cref="Lif"/> that resets at the next step, with no adaptation).</summary>
public readonly record struct AdaptiveLifConstants(LifConstants Neuron, float DecayAdapt, float Beta)
{
    /// <summary>The constants of a <see cref="Lif"/> as an ALIF with β = 0 (its adaptation a = s weighs nothing).</summary>
    public static AdaptiveLifConstants WithoutAdaptation(LifConstants neuron) => new(neuron, 0f, 0f);

    /// <summary>The membrane's decay per step (β in the discrete-time equations, not the adaptation's <see cref="Beta"/>).</summary>
    public float MembraneDecay => Neuron.Membrane.Decay;

    /// <summary>The threshold θ (also what <see cref="ResetMode.SubtractAtNextStep"/> subtracts).</summary>
    public float Threshold => Neuron.Spike.VThreshold;

    /// <summary>Whether a spike sets the membrane to 0 at the next step rather than subtracting θ.</summary>
    public bool ResetsToZero => Neuron.Spike.Reset == ResetMode.ZeroAtNextStep;

    /// <summary>
    /// One step of one neuron under a reset at the next step: a ← ρ·a + s, then the membrane's step with the previous step's
    /// spike s taken back (<see cref="SpikeRule.StepAtNextStep"/>). Returns the margin x = u − θ − β·a; the neuron spikes
    /// where x &gt; 0. The training scans and <see cref="NextStepKernel"/> call this.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public float StepAtNextStep(ref float u, ref float a, float s, float h, float current = 0f)
    {
        a = DecayAdapt * a + s;
        u = Neuron.Spike.StepAtNextStep(u, Neuron.Membrane, s, h, current);
        return u - Neuron.Spike.VThreshold - Beta * a;
    }
}

/// <summary>The step of a <see cref="NextStepGroup"/>: the synaptic input of the step is h, the injected current I.</summary>
internal readonly struct NextStepKernel(AdaptiveLifConstants c, ArrayView<float> u, ArrayView<float> a, ArrayView<float> s, in NeuronStepArgs args) : IRangeKernel
{
    private readonly AdaptiveLifConstants _c = c;
    private readonly ArrayView<float> _u = u, _a = a, _s = s, _input = args.SynapticInput, _current = args.Current;
    private readonly ArrayView<byte> _spikes = args.Spikes;

    public void Execute(int i)
    {
        float ui = _u[i], ai = _a[i];
        var fired = _c.StepAtNextStep(ref ui, ref ai, _s[i], _input[i], _current[i]) > 0f;
        _input[i] = 0f;
        (_u[i], _a[i], _s[i]) = (ui, ai, fired ? 1f : 0f);
        _spikes[i] = fired ? (byte)1 : (byte)0;
    }

    public void ExecuteRange(int start, int end)
    {
        Span<float> u = _u.AsSpan(), a = _a.AsSpan(), s = _s.AsSpan(), input = _input.AsSpan(), current = _current.AsSpan();
        var spikes = _spikes.AsSpan();
        for (var i = start; i < end; i++)
        {
            var fired = _c.StepAtNextStep(ref u[i], ref a[i], s[i], input[i], current[i]) > 0f;
            input[i] = 0f;
            s[i] = fired ? 1f : 0f;
            spikes[i] = fired ? (byte)1 : (byte)0;
        }
    }
}

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
