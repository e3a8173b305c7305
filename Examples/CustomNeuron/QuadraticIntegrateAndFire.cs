using ILGPU;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Neurons;

namespace CustomNeuron;

/// <summary>
/// The quadratic integrate-and-fire neuron, as a model defined outside the library:
/// <code>
/// τ·dv/dt = (v − v_rest)·(v − v_crit)/Δ + R·I        (forward Euler)
/// v ≥ v_peak  ⇒  spike, v ← v_reset;                  v ← v + w on each arriving event
/// </code>
/// A model is a parameter record, host-side constants, a static step that kernels and tests share,
/// and a kernel; nothing in the engines or backends changes.
/// </summary>
public sealed record QuadraticIntegrateAndFire(
    double TauMs = 10, double VRest = -65, double VCrit = -50, double DeltaMv = 15, double R = 1,
    double VPeak = 20, double VReset = -70) : INeuronModel
{
    public static readonly StateVariable V = new("v", "mV");

    public int InputChannels => 1;

    public IReadOnlyList<StateVariable> StateVariables => [V];

    public QifConstants Discretize(double dtMs)
    {
        Discretization.CheckTimeConstant("tau", TauMs, dtMs);
        return new QifConstants((float)(dtMs / TauMs), (float)VRest, (float)VCrit, (float)(1 / DeltaMv), (float)R, (float)VPeak, (float)VReset);
    }

    /// <summary>One Euler step; returns whether the neuron fired.</summary>
    public static bool Step(ref float v, in QifConstants c, float input, float current)
    {
        v = v + c.DtOverTau * ((v - c.VRest) * (v - c.VCrit) * c.InverseDelta + c.R * current) + input;
        if (v < c.VPeak) return false;
        v = c.VReset;
        return true;
    }

    NeuronGroup INeuronModel.CreateGroup(in GroupContext context) => new Group(this, context);

    private sealed class Group : NeuronGroup
    {
        private readonly QifConstants _constants;
        private readonly DeviceBuffer<float> _v;

        public Group(QuadraticIntegrateAndFire model, in GroupContext context) : base(context)
        {
            _constants = model.Discretize(context.DtMs);
            _v = AddState(V, model.VRest);
        }

        public override void Step(IComputeBackend backend, in NeuronStepArgs args)
            => backend.Launch(Count, new QifKernel(_constants, _v.View, args));
    }
}

/// <summary>The per-step constants of <see cref="QuadraticIntegrateAndFire"/>.</summary>
public readonly record struct QifConstants(float DtOverTau, float VRest, float VCrit, float InverseDelta, float R, float VPeak, float VReset);

/// <summary>The QIF step over a group: <see cref="Execute"/> for GPUs, a span loop for the host launcher.</summary>
public readonly struct QifKernel(QifConstants c, ArrayView<float> v, NeuronStepArgs args) : IRangeKernel
{
    private readonly QifConstants _c = c;
    private readonly ArrayView<float> _v = v, _input = args.SynapticInput, _current = args.Current;
    private readonly ArrayView<byte> _spikes = args.Spikes;

    public void Execute(int i)
    {
        _spikes[i] = QuadraticIntegrateAndFire.Step(ref _v[i], _c, _input[i], _current[i]) ? (byte)1 : (byte)0;
        _input[i] = 0;
    }

    public void ExecuteRange(int start, int end)
    {
        Span<float> v = _v.AsSpan(), input = _input.AsSpan(), current = _current.AsSpan();
        Span<byte> spikes = _spikes.AsSpan();
        for (var i = start; i < end; i++)
        {
            spikes[i] = QuadraticIntegrateAndFire.Step(ref v[i], _c, input[i], current[i]) ? (byte)1 : (byte)0;
            input[i] = 0;
        }
    }
}
