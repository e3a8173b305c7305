using ILGPU;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Simulator.Neurons;

/// <summary>
/// Leaky integrator (a non-spiking readout), NIR's <c>LI</c>:
/// <code>
/// τ·dv/dt = (v_leak − v) + R·I            v ← v + w on each arriving event
/// </code>
/// Exact step with I constant over the step: v ← v_leak + (v − v_leak)·β + input + R·(1 − β)·I, β = e^(−dt/τ)
/// (β = 1 − dt/τ and R·dt/τ under forward Euler) — NEST's propagator form (its iaf models' P22·V + …), and, with
/// v_leak = 0 and gains of 1, the discrete-time neuron of snnTorch and Norse, u ← β·u + h + I. It never spikes.
/// With <see cref="Integrator.DiscreteTime"/>, R = 1 and v_leak = 0 it is the discrete-time readout of trainable layers,
/// y[t] = β·y[t−1] + h[t] + I (τ = +∞: NIR's integrator I). <see cref="Step"/> is the one leaky membrane update:
/// <see cref="Lif"/>, <see cref="AdaptiveLif"/>, <see cref="CubaLif"/>, <see cref="IntegrateAndFire"/> (β = 1) and the
/// training scans all call it.
/// </summary>
public sealed record LeakyIntegrator(
    double TauMs = 20.0,
    double R = 1.0,
    double VLeak = 0.0,
    Integrator Integrator = Integrator.ExactExponential) : INeuronModel
{
    /// <summary>Membrane potential.</summary>
    public static readonly StateVariable V = new("v", "mV");

    /// <inheritdoc />
    public int InputChannels => 1;

    /// <inheritdoc />
    public IReadOnlyList<StateVariable> StateVariables => [V];

    /// <summary>The constants of one step of length <paramref name="dtMs"/>.</summary>
    public LeakyIntegratorConstants Discretize(double dtMs)
    {
        Discretization.CheckTimeConstant("tau", TauMs, dtMs, Integrator);
        return new LeakyIntegratorConstants((float)VLeak, (float)Discretization.Decay(dtMs, TauMs, Integrator),
            (float)(R * Discretization.DriveGain(dtMs, TauMs, Integrator)));
    }

    /// <summary>
    /// One step of one membrane, v_leak + (v − v_leak)·β + input + I·gain, summed left to right as
    /// <see cref="LeakyIntegratorVectors.Step"/> does across lanes (tests hold the two bit-equal); returns the new potential.
    /// With v_leak = 0 and a gain of 1 it is β·v + input + I exactly (0 + x and x·1 round to x).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static float Step(float v, in LeakyIntegratorConstants c, float input, float current)
        => c.VLeak + (v - c.VLeak) * c.Decay + input + current * c.CurrentGain;

    NeuronGroup INeuronModel.CreateGroup(in GroupContext context) => new Group(this, context);

    private sealed class Group : NeuronGroup
    {
        private readonly LeakyIntegratorConstants _constants;
        private readonly DeviceBuffer<float> _v;

        public Group(LeakyIntegrator model, in GroupContext context) : base(context)
        {
            _constants = model.Discretize(context.DtMs);
            _v = AddState(V, model.VLeak);
        }

        public override void Step(IComputeBackend backend, in NeuronStepArgs args)
            => backend.Launch(Count, new Kernel(_constants, _v.View, args));
    }

    internal readonly struct Kernel(LeakyIntegratorConstants c, ArrayView<float> v, NeuronStepArgs args) : IRangeKernel
    {
        private readonly LeakyIntegratorConstants _c = c;
        private readonly ArrayView<float> _v = v, _input = args.SynapticInput, _current = args.Current;
        private readonly ArrayView<byte> _spikes = args.Spikes;

        public void Execute(int i) => Body(ref _v[i], ref _input[i], _current[i], ref _spikes[i], _c);

        public void ExecuteRange(int start, int end)
        {
            Span<float> v = _v.AsSpan(), input = _input.AsSpan(), current = _current.AsSpan();
            Span<byte> spikes = _spikes.AsSpan();
            for (var i = start; i < end; i++) Body(ref v[i], ref input[i], current[i], ref spikes[i], _c);
        }

        private static void Body(ref float v, ref float input, float current, ref byte spike, in LeakyIntegratorConstants c)
        {
            v = LeakyIntegrator.Step(v, c, input, current);
            input = 0f;
            spike = 0;
        }
    }
}

/// <summary>The per-step constants of <see cref="LeakyIntegrator"/>: the resting potential, the decay β and the injected current's gain.</summary>
public readonly record struct LeakyIntegratorConstants(float VLeak, float Decay, float CurrentGain)
{
    /// <summary>The discrete-time membrane of trainable layers: rest 0, decay β, current unscaled (u ← β·u + h + I).</summary>
    public static LeakyIntegratorConstants Discrete(float beta) => new(0f, beta, 1f);
}

/// <summary><see cref="LeakyIntegrator.Step"/> across the lanes of a <see cref="System.Numerics.Vector{T}"/> (host range kernels), the same sums in the same order.</summary>
internal readonly struct LeakyIntegratorVectors
{
    private readonly System.Numerics.Vector<float> _vLeak, _decay, _currentGain;

    /// <summary>The vectors of <paramref name="c"/>; inlined, as <see cref="SpikeRuleVectors"/>'s constructor is.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public LeakyIntegratorVectors(LeakyIntegratorConstants c)
    {
        _vLeak = new System.Numerics.Vector<float>(c.VLeak);
        _decay = new System.Numerics.Vector<float>(c.Decay);
        _currentGain = new System.Numerics.Vector<float>(c.CurrentGain);
    }

    /// <summary>The new potentials of a vector of membranes.</summary>
    public System.Numerics.Vector<float> Step(System.Numerics.Vector<float> v, System.Numerics.Vector<float> input, System.Numerics.Vector<float> current)
        => _vLeak + (v - _vLeak) * _decay + input + current * _currentGain;
}
