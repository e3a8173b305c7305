using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ILGPU;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Simulator.Neurons;

/// <summary>
/// Leaky integrate-and-fire neuron with instantaneous (delta) synapses, NIR's <c>LIF</c>:
/// <code>
/// τ·dv/dt = (v_leak − v) + R·I
/// v ← v + w                                        on each arriving synaptic event of weight w
/// v &gt; v_threshold  ⇒  spike, reset, refractory for t_ref (v held, events discarded)
/// </code>
/// The membrane is a <see cref="LeakyIntegrator"/> and its step is <see cref="LeakyIntegrator.Step"/> (exact integration
/// with I constant over a step: v ← v_leak + (v − v_leak)·e^(−dt/τ) + input + R·(1 − e^(−dt/τ))·I); the threshold test, reset and
/// refractoriness are the <see cref="SpikeRule"/>'s. <see cref="AdaptiveLif"/> is the same membrane with a moving threshold.
/// <para>
/// With a reset at the next step and <see cref="Integrator.DiscreteTime"/> (R = 1, v_leak = 0) it is the discrete-time LIF of
/// trainable layers, snnTorch's <c>Leaky</c> and Norse's <c>LIFBox</c>: u[t] = β·u[t−1] + h[t] + I − θ·s[t−1]
/// (<see cref="ResetMode.SubtractAtNextStep"/>) or β·u[t−1]·(1 − s[t−1]) + h[t] + I (<see cref="ResetMode.ZeroAtNextStep"/>),
/// s[t] = H(u[t] − θ), β = e^(−Δt/τ) (τ = +∞: NIR's IF; τ = 0: NIR's Threshold). It steps as an <see cref="AdaptiveLif"/>
/// with no adaptation (<see cref="AdaptiveLifConstants.StepAtNextStep"/>), the step of the training scans.
/// </para>
/// </summary>
public sealed partial record Lif(
    double TauMs = 20.0,
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

    /// <inheritdoc />
    public int InputChannels => 1;

    /// <inheritdoc />
    public IReadOnlyList<StateVariable> StateVariables => [V];

    /// <summary>The constants of one step of length <paramref name="dtMs"/>.</summary>
    public LifConstants Discretize(double dtMs)
    {
        var membrane = new LeakyIntegrator(TauMs, R, VLeak, Integrator).Discretize(dtMs); // checks tau against dt
        Discretization.CheckRefractory(RefractoryMs);
        Discretization.CheckThreshold(VThreshold, VReset);
        ResetModes.CheckEitherTiming(nameof(Lif), Reset, VThreshold, VReset, RefractoryMs, Comparison);
        return new LifConstants(membrane,
            new SpikeRule(VThreshold, VReset, Comparison, Reset, Discretization.RefractorySteps(RefractoryMs, dtMs)));
    }

    /// <summary>
    /// One step of one neuron with the reset in the step of the spike: the leaky membrane's step
    /// (<see cref="LeakyIntegrator.Step"/>), then the threshold test and reset. Kernels and tests both call this.
    /// </summary>
    public static bool Step(ref LifState s, in LifConstants c, float input, float current)
    {
        if (s.Refractory > 0)
        {
            s.Refractory--;
            return false;
        }
        s.V = LeakyIntegrator.Step(s.V, c.Membrane, input, current);
        return c.Spike.Settle(ref s.V, ref s.Refractory, c.Spike.VThreshold);
    }

    NeuronGroup INeuronModel.CreateGroup(in GroupContext context) => ResetModes.IsAtNextStep(Reset)
        ? new NextStepGroup(AdaptiveLifConstants.WithoutAdaptation(Discretize(context.DtMs)), (float)VLeak, null, context)
        : new Group(Discretize(context.DtMs), (float)VLeak, context);

    /// <summary>A group of neurons that step by <see cref="Step"/> with these constants (also <see cref="IntegrateAndFire"/>'s).</summary>
    internal sealed class Group : NeuronGroup
    {
        private readonly LifConstants _constants;
        private readonly DeviceBuffer<float> _v;
        private readonly DeviceBuffer<int> _refractory;

        public Group(LifConstants constants, float vStart, in GroupContext context) : base(context)
        {
            _constants = constants;
            _v = AddState(V, vStart);
            _refractory = AddBuffer<int>(Count);
        }

        public override void Step(IComputeBackend backend, in NeuronStepArgs args)
            => backend.Launch(Count, new LifStepKernel(_constants, _v.View, _refractory.View, args));
    }
}

/// <summary>The per-step constants of <see cref="Lif"/>, computed once on the host: its membrane's and its spike rule.</summary>
public readonly record struct LifConstants(LeakyIntegratorConstants Membrane, SpikeRule Spike);

/// <summary>The state of one <see cref="Lif"/> neuron.</summary>
public struct LifState(float v, int refractory)
{
    /// <summary>Membrane potential.</summary>
    public float V = v;
    /// <summary>Steps of refractoriness left.</summary>
    public int Refractory = refractory;
}

/// <summary>The <see cref="Lif"/> step over a group; vectorised on the host.</summary>
internal readonly struct LifStepKernel : IRangeKernel
{
    private readonly LifConstants _c;
    private readonly ArrayView<float> _v;
    private readonly ArrayView<int> _refractory;
    private readonly ArrayView<float> _input;
    private readonly ArrayView<float> _current;
    private readonly ArrayView<byte> _spikes;
    private readonly int _hasCurrent; // 0 or 1: ILGPU takes no bool in a kernel

    public LifStepKernel(LifConstants c, ArrayView<float> v, ArrayView<int> refractory, in NeuronStepArgs args)
    {
        _c = c;
        _v = v;
        _refractory = refractory;
        _input = args.SynapticInput;
        _current = args.Current;
        _hasCurrent = args.HasCurrent ? 1 : 0;
        _spikes = args.Spikes;
    }

    public void Execute(int i)
    {
        var s = new LifState(_v[i], _refractory[i]);
        var fired = Lif.Step(ref s, _c, _input[i], _current[i]);
        _input[i] = 0f;
        _v[i] = s.V;
        _refractory[i] = s.Refractory;
        _spikes[i] = fired ? (byte)1 : (byte)0;
    }

    public void ExecuteRange(int start, int end)
    {
        var i = !SpikeRuleVectors.Supports(_c.Spike) ? start
            : _hasCurrent != 0 ? VectorRange<LoadedCurrent>(start, end) : VectorRange<NoCurrent>(start, end);
        for (; i < end; i++) Execute(i);
    }

    /// <summary>The vector loop over [start, end); returns where the scalar tail begins.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int VectorRange<TCurrent>(int start, int end) where TCurrent : struct, ICurrentVectors
    {
        var i = start;
        ref var v = ref MemoryMarshal.GetReference(_v.AsSpan());
        ref var input = ref MemoryMarshal.GetReference(_input.AsSpan());
        ref var current = ref MemoryMarshal.GetReference(_current.AsSpan());
        ref var refractory = ref MemoryMarshal.GetReference(_refractory.AsSpan());
        ref var spikes = ref MemoryMarshal.GetReference(_spikes.AsSpan());
        var membrane = new LeakyIntegratorVectors(_c.Membrane);
        var rule = new SpikeRuleVectors(_c.Spike);
        for (; i <= end - Vector<float>.Count; i += Vector<float>.Count)
        {
            var o = (nuint)i;
            var r = Vector.LoadUnsafe(ref refractory, o);
            var vOld = Vector.LoadUnsafe(ref v, o);
            var vNew = membrane.Step(vOld, Vector.LoadUnsafe(ref input, o), TCurrent.Load(ref current, o));
            Vector<float>.Zero.StoreUnsafe(ref input, o);
            rule.Finish(r, SpikeRuleVectors.Active(r), vOld, vNew, ref v, ref refractory, ref spikes, o);
        }
        return i;
    }
}
