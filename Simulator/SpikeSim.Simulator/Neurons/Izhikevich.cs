using ILGPU;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Errors;

namespace SpikeSim.Simulator.Neurons;

/// <summary>
/// The Izhikevich (2003) neuron:
/// <code>
/// dv/dt = 0.04·v² + 5·v + 140 − u + I        (v in mV, t in ms)
/// du/dt = a·(b·v − u)
/// v ≥ v_peak  ⇒  spike, v ← c, u ← u + d
/// </code>
/// integrated as in Izhikevich's own code: v by forward Euler in substeps of at most 0.5 ms, then u
/// by one Euler step of dt from the new v (at dt = 1 ms this is exactly the scheme of the 2003 and
/// 2007 papers). A synaptic event of weight w is a current of w during the step it arrives in, as
/// in those papers' code (I(post) += w), so weights carry the papers' values at dt = 1 ms.
/// </summary>
public sealed record Izhikevich(
    double A = 0.02,
    double B = 0.2,
    double C = -65,
    double D = 8,
    double VPeak = 30) : INeuronModel
{
    /// <summary>Regular spiking (excitatory cortical) parameters: a 0.02, b 0.2, c −65, d 8.</summary>
    public static readonly Izhikevich RegularSpiking = new();

    /// <summary>Fast spiking (inhibitory) parameters: a 0.1, b 0.2, c −65, d 2.</summary>
    public static readonly Izhikevich FastSpiking = new(A: 0.1, D: 2);

    /// <summary>Membrane potential.</summary>
    public static readonly StateVariable V = new("v", "mV");
    /// <summary>Recovery variable.</summary>
    public static readonly StateVariable U = new("u", "mV/ms");

    /// <summary>Longest Euler substep of v, ms.</summary>
    public const double MaxSubstepMs = 0.5;

    /// <inheritdoc />
    public int InputChannels => 1;

    /// <inheritdoc />
    public IReadOnlyList<StateVariable> StateVariables => [V, U];

    /// <summary>The constants of one step of length <paramref name="dtMs"/>.</summary>
    public IzhikevichConstants Discretize(double dtMs)
    {
        Discretization.CheckStep(dtMs);
        if (dtMs > 1) throw new InvalidParameterException($"dt = {dtMs} ms is too long for the Izhikevich model; use at most 1 ms.");
        if (!(VPeak > C)) throw new InvalidParameterException($"v_peak ({VPeak}) must lie above c ({C}).");
        var substeps = (int)Math.Ceiling(dtMs / MaxSubstepMs - 1e-9);
        return new IzhikevichConstants((float)A, (float)B, (float)C, (float)D, (float)VPeak, substeps, (float)(dtMs / substeps), (float)dtMs);
    }

    /// <summary>The initial recovery variable at rest, u = b·v.</summary>
    public float RestingU(float v) => (float)(B * v);

    /// <summary>One step of one neuron with current <paramref name="current"/> (injected plus this step's synaptic events).</summary>
    public static bool Step(ref IzhikevichState s, in IzhikevichConstants c, float current)
    {
        var v = s.V;
        for (var k = 0; k < c.Substeps; k++) v = v + c.SubstepMs * ((0.04f * v + 5f) * v + 140f - s.U + current);
        s.U = s.U + c.DtMs * c.A * (c.B * v - s.U);
        if (v >= c.VPeak)
        {
            s.V = c.C;
            s.U = s.U + c.D;
            return true;
        }
        s.V = v;
        return false;
    }

    NeuronGroup INeuronModel.CreateGroup(in GroupContext context) => new Group(this, context);

    private sealed class Group : NeuronGroup
    {
        private readonly IzhikevichConstants _constants;
        private readonly DeviceBuffer<float> _v, _u;

        public Group(Izhikevich model, in GroupContext context) : base(context)
        {
            _constants = model.Discretize(context.DtMs);
            _v = AddState(V, model.C);
            _u = AddState(U, model.RestingU((float)model.C));
        }

        public override void Step(IComputeBackend backend, in NeuronStepArgs args)
            => backend.Launch(Count, new Kernel(_constants, _v.View, _u.View, args));
    }

    internal readonly struct Kernel(IzhikevichConstants c, ArrayView<float> v, ArrayView<float> u, NeuronStepArgs args) : IRangeKernel
    {
        private readonly IzhikevichConstants _c = c;
        private readonly ArrayView<float> _v = v, _u = u, _input = args.SynapticInput, _current = args.Current;
        private readonly ArrayView<byte> _spikes = args.Spikes;

        public void Execute(int i) => Body(ref _v[i], ref _u[i], ref _input[i], _current[i], ref _spikes[i], _c);

        public void ExecuteRange(int start, int end)
        {
            Span<float> v = _v.AsSpan(), u = _u.AsSpan(), input = _input.AsSpan(), current = _current.AsSpan();
            Span<byte> spikes = _spikes.AsSpan();
            for (var i = start; i < end; i++) Body(ref v[i], ref u[i], ref input[i], current[i], ref spikes[i], _c);
        }

        private static void Body(ref float v, ref float u, ref float input, float current, ref byte spike, in IzhikevichConstants c)
        {
            var s = new IzhikevichState(v, u);
            var fired = Izhikevich.Step(ref s, c, current + input);
            input = 0f;
            v = s.V;
            u = s.U;
            spike = fired ? (byte)1 : (byte)0;
        }
    }
}

/// <summary>The per-step constants of <see cref="Izhikevich"/>.</summary>
public readonly record struct IzhikevichConstants(float A, float B, float C, float D, float VPeak, int Substeps, float SubstepMs, float DtMs);

/// <summary>The state of one <see cref="Izhikevich"/> neuron.</summary>
public struct IzhikevichState(float v, float u)
{
    /// <summary>Membrane potential.</summary>
    public float V = v;
    /// <summary>Recovery variable.</summary>
    public float U = u;
}
