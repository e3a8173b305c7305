using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ILGPU;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Simulator.Neurons;

/// <summary>
/// Current-based LIF with exponential synaptic currents on two channels, excitatory (0) and
/// inhibitory (1), each with its own time constant; NIR's <c>CubaLIF</c> with w_in = 1:
/// <code>
/// τ_mem·dv/dt = (v_leak − v) + R·(I_exc + I_inh + I_ext)
/// τ_exc·dI_exc/dt = −I_exc,   τ_inh·dI_inh/dt = −I_inh
/// I_c ← I_c + w                                    on each arriving event on channel c
/// v &gt; v_threshold  ⇒  spike, reset, refractory for t_ref (v held; currents go on)
/// </code>
/// The exact step solves the coupled linear system over dt: the membrane is a <see cref="LeakyIntegrator"/> step,
/// v ← v_leak + (v − v_leak)·β + (c_exc·I_exc + c_inh·I_inh) + R·(1 − β)·I_ext with β = e^(−dt/τ_mem) and the couplings c
/// of <see cref="Discretization.SynapticCoupling"/>, the currents decaying by e^(−dt/τ_syn); this is the Vogels–Abbott
/// CUBA model as Brian2 integrates it with <c>method="exact"</c>, and NEST's <c>iaf_psc_exp</c> propagators.
/// <para>
/// With a reset at the next step and <see cref="Integrator.DiscreteTime"/> it is the discrete-time current-based LIF
/// (snnTorch's <c>Synaptic</c>; NIR's <c>CubaLIF</c> as snnTorch's and Norse's importers read it), the current taking the
/// step's input before it drives the membrane:
/// </para>
/// <code>
/// i_c[t] = α_c·i_c[t−1] + h_c[t]                            each channel c; h the step's synaptic input
/// u[t] = v_leak + (u[t−1]·(1 − s[t−1]) − v_leak)·β + R·(i_exc[t] + i_inh[t]) + R·I     (ZeroAtNextStep)
/// u[t] = v_leak + (u[t−1] − v_leak)·β + R·(i_exc[t] + i_inh[t]) + R·I − θ·s[t−1]      (SubtractAtNextStep)
/// s[t] = H(u[t] − θ),   α_c = e^(−Δt/τ_syn,c),  β = e^(−Δt/τ_mem)
/// </code>
/// R is the current's gain into the membrane (1 in snnTorch's <c>Synaptic</c>, r·Δt/τ_mem in NIR's CubaLIF read by forward
/// Euler); θ = +∞ with the reset to zero never spikes, NIR's CubaLI. The state i_syn_* is then i[t], the current of the
/// step (in the step-of-the-spike form it is the current at the step's end).
/// </summary>
public sealed partial record CubaLif(
    double TauMemMs = 20.0,
    double TauSynExcMs = 5.0,
    double TauSynInhMs = 10.0,
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
    /// <summary>Excitatory synaptic current (in units of R·I, i.e. mV with R = 1).</summary>
    public static readonly StateVariable ISynExc = new("i_syn_exc", "mV");
    /// <summary>Inhibitory synaptic current.</summary>
    public static readonly StateVariable ISynInh = new("i_syn_inh", "mV");

    /// <summary>Channel index of excitatory input.</summary>
    public const int Excitatory = 0;
    /// <summary>Channel index of inhibitory input.</summary>
    public const int Inhibitory = 1;

    /// <inheritdoc />
    public int InputChannels => 2;

    /// <inheritdoc />
    public IReadOnlyList<StateVariable> StateVariables => [V, ISynExc, ISynInh];

    /// <summary>The constants of one step of length <paramref name="dtMs"/>.</summary>
    public CubaLifConstants Discretize(double dtMs)
    {
        Discretization.CheckTimeConstant("tau_mem", TauMemMs, dtMs, Integrator);
        Discretization.CheckTimeConstant("tau_syn_exc", TauSynExcMs, dtMs, Integrator);
        Discretization.CheckTimeConstant("tau_syn_inh", TauSynInhMs, dtMs, Integrator);
        Discretization.CheckRefractory(RefractoryMs);
        Discretization.CheckThreshold(VThreshold, VReset);
        ResetModes.CheckEitherTiming(nameof(CubaLif), Reset, VThreshold, VReset, RefractoryMs, Comparison);
        if (!double.IsFinite(R)) throw new Errors.InvalidParameterException($"R must be finite (got {R}).");
        return new CubaLifConstants(
            new LeakyIntegrator(TauMemMs, R, VLeak, Integrator).Discretize(dtMs),
            (float)Discretization.Decay(dtMs, TauSynExcMs, Integrator),
            (float)Discretization.Decay(dtMs, TauSynInhMs, Integrator),
            (float)Discretization.SynapticCoupling(dtMs, TauMemMs, TauSynExcMs, R, Integrator),
            (float)Discretization.SynapticCoupling(dtMs, TauMemMs, TauSynInhMs, R, Integrator),
            new SpikeRule(VThreshold, VReset, Comparison, Reset, Discretization.RefractorySteps(RefractoryMs, dtMs)));
    }

    /// <summary>
    /// One step of one neuron with the reset in the step of the spike: add the arriving input to the currents, integrate v
    /// and the currents together from the step's start values, then test and reset.
    /// </summary>
    public static bool Step(ref CubaLifState s, in CubaLifConstants c, float inExc, float inInh, float current)
    {
        var iExc = s.ISynExc + inExc;
        var iInh = s.ISynInh + inInh;
        s.ISynExc = iExc * c.DecayExc;
        s.ISynInh = iInh * c.DecayInh;
        if (s.Refractory > 0)
        {
            s.Refractory--;
            return false;
        }
        s.V = LeakyIntegrator.Step(s.V, c.Membrane, iExc * c.CouplingExc + iInh * c.CouplingInh, current);
        return c.Spike.Settle(ref s.V, ref s.Refractory, c.Spike.VThreshold);
    }

    /// <summary>
    /// One step of one neuron with a reset at the next step: i_c ← α_c·i_c + h_c, then the membrane's step with input
    /// R·(i_exc + i_inh) and the previous step's spike s taken back (<see cref="SpikeRule.StepAtNextStep"/>). Returns the
    /// margin u − θ; the neuron spikes where it is &gt; 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float StepAtNextStep(ref float v, ref float iExc, ref float iInh, float s, in CubaLifConstants c, float inExc, float inInh, float current)
    {
        iExc = c.DecayExc * iExc + inExc;
        iInh = c.DecayInh * iInh + inInh;
        v = c.Spike.StepAtNextStep(v, c.Membrane, s, iExc * c.CouplingExc + iInh * c.CouplingInh, current);
        return v - c.Spike.VThreshold;
    }

    NeuronGroup INeuronModel.CreateGroup(in GroupContext context) => new CubaLifGroup(this, context);

    private sealed class CubaLifGroup : NeuronGroup
    {
        private readonly CubaLifConstants _constants;
        private readonly DeviceBuffer<float> _v, _iExc, _iInh;
        private readonly DeviceBuffer<int>? _refractory;
        private readonly DeviceBuffer<float>? _lastSpike;

        public CubaLifGroup(CubaLif model, in GroupContext context) : base(context)
        {
            _constants = model.Discretize(context.DtMs);
            _v = AddState(V, model.VLeak);
            _iExc = AddState(ISynExc);
            _iInh = AddState(ISynInh);
            if (ResetModes.IsAtNextStep(model.Reset)) _lastSpike = AddBuffer<float>(Count);
            else _refractory = AddBuffer<int>(Count);
        }

        public override void Step(IComputeBackend backend, in NeuronStepArgs args)
        {
            if (_lastSpike is null) backend.Launch(Count, new CubaLifStepKernel(_constants, _v.View, _iExc.View, _iInh.View, _refractory!.View, args, Count));
            else backend.Launch(Count, new CubaLifNextStepKernel(_constants, _v.View, _iExc.View, _iInh.View, _lastSpike.View, args, Count));
        }
    }
}

/// <summary>The <see cref="CubaLif"/> step with a reset at the next step (<see cref="CubaLif.StepAtNextStep"/>) over a group.</summary>
internal readonly struct CubaLifNextStepKernel(CubaLifConstants c, ArrayView<float> v, ArrayView<float> iExc, ArrayView<float> iInh,
    ArrayView<float> lastSpike, in NeuronStepArgs args, int count) : IRangeKernel
{
    private readonly CubaLifConstants _c = c;
    private readonly ArrayView<float> _v = v, _iExc = iExc, _iInh = iInh, _s = lastSpike, _input = args.SynapticInput, _current = args.Current;
    private readonly ArrayView<byte> _spikes = args.Spikes;
    private readonly int _count = count;

    public void Execute(int k)
    {
        float v = _v[k], e = _iExc[k], h = _iInh[k];
        var fired = CubaLif.StepAtNextStep(ref v, ref e, ref h, _s[k], _c, _input[k], _input[_count + k], _current[k]) > 0f;
        _input[k] = 0f;
        _input[_count + k] = 0f;
        (_v[k], _iExc[k], _iInh[k], _s[k]) = (v, e, h, fired ? 1f : 0f);
        _spikes[k] = fired ? (byte)1 : (byte)0;
    }

    public void ExecuteRange(int start, int end)
    {
        for (var k = start; k < end; k++) Execute(k);
    }
}

/// <summary>The per-step constants of <see cref="CubaLif"/>, computed once on the host: its membrane's, its currents' and its spike rule.</summary>
public readonly record struct CubaLifConstants(
    LeakyIntegratorConstants Membrane, float DecayExc, float DecayInh,
    float CouplingExc, float CouplingInh, SpikeRule Spike);

/// <summary>The state of one <see cref="CubaLif"/> neuron.</summary>
public struct CubaLifState(float v, float iSynExc, float iSynInh, int refractory)
{
    /// <summary>Membrane potential.</summary>
    public float V = v;
    /// <summary>Excitatory synaptic current.</summary>
    public float ISynExc = iSynExc;
    /// <summary>Inhibitory synaptic current.</summary>
    public float ISynInh = iSynInh;
    /// <summary>Steps of refractoriness left.</summary>
    public int Refractory = refractory;
}

/// <summary>The <see cref="CubaLif"/> step over a group; vectorised on the host.</summary>
internal readonly struct CubaLifStepKernel : IRangeKernel
{
    private readonly CubaLifConstants _c;
    private readonly ArrayView<float> _v, _iExc, _iInh, _input, _current;
    private readonly ArrayView<int> _refractory;
    private readonly ArrayView<byte> _spikes;
    private readonly int _count;
    private readonly int _hasCurrent; // 0 or 1: ILGPU takes no bool in a kernel

    public CubaLifStepKernel(CubaLifConstants c, ArrayView<float> v, ArrayView<float> iExc, ArrayView<float> iInh,
        ArrayView<int> refractory, in NeuronStepArgs args, int count)
    {
        _c = c;
        _v = v;
        _iExc = iExc;
        _iInh = iInh;
        _refractory = refractory;
        _input = args.SynapticInput;
        _current = args.Current;
        _hasCurrent = args.HasCurrent ? 1 : 0;
        _spikes = args.Spikes;
        _count = count;
    }

    public void Execute(int i)
    {
        var s = new CubaLifState(_v[i], _iExc[i], _iInh[i], _refractory[i]);
        var fired = CubaLif.Step(ref s, _c, _input[i], _input[_count + i], _current[i]);
        _input[i] = 0f;
        _input[_count + i] = 0f;
        _v[i] = s.V;
        _iExc[i] = s.ISynExc;
        _iInh[i] = s.ISynInh;
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
        ref var iExc = ref MemoryMarshal.GetReference(_iExc.AsSpan());
        ref var iInh = ref MemoryMarshal.GetReference(_iInh.AsSpan());
        ref var current = ref MemoryMarshal.GetReference(_current.AsSpan());
        ref var inExc = ref MemoryMarshal.GetReference(_input.AsSpan());
        ref var inInh = ref Unsafe.Add(ref inExc, _count);
        ref var refractory = ref MemoryMarshal.GetReference(_refractory.AsSpan());
        ref var spikes = ref MemoryMarshal.GetReference(_spikes.AsSpan());
        var membrane = new LeakyIntegratorVectors(_c.Membrane);
        var decayExc = new Vector<float>(_c.DecayExc);
        var decayInh = new Vector<float>(_c.DecayInh);
        var couplingExc = new Vector<float>(_c.CouplingExc);
        var couplingInh = new Vector<float>(_c.CouplingInh);
        var rule = new SpikeRuleVectors(_c.Spike);
        for (; i <= end - Vector<float>.Count; i += Vector<float>.Count)
        {
            var o = (nuint)i;
            var e = Vector.LoadUnsafe(ref iExc, o) + Vector.LoadUnsafe(ref inExc, o);
            var h = Vector.LoadUnsafe(ref iInh, o) + Vector.LoadUnsafe(ref inInh, o);
            (e * decayExc).StoreUnsafe(ref iExc, o);
            (h * decayInh).StoreUnsafe(ref iInh, o);
            Vector<float>.Zero.StoreUnsafe(ref inExc, o);
            Vector<float>.Zero.StoreUnsafe(ref inInh, o);
            var r = Vector.LoadUnsafe(ref refractory, o);
            var vOld = Vector.LoadUnsafe(ref v, o);
            var vNew = membrane.Step(vOld, e * couplingExc + h * couplingInh, TCurrent.Load(ref current, o));
            rule.Finish(r, SpikeRuleVectors.Active(r), vOld, vNew, ref v, ref refractory, ref spikes, o);
        }
        return i;
    }
}
