using ILGPU;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Simulator.Neurons;

/// <summary>
/// The discrete-time leaky integrator of trainable readouts (snnTorch's non-spiking <c>Leaky</c> output), one step of
/// length Δt per call, the input entering unscaled:
/// <code>
/// y[t] = β·y[t−1] + h[t] + I,   β = e^(−Δt/τ),   y[−1] = 0
/// </code>
/// (τ = +∞: β = 1, the integrator — NIR's I node). It never spikes. The training readout and the time-step engine both call <see cref="Step"/>.
/// </summary>
public sealed record DiscreteLeakyIntegrator(double TauMs = 20.0) : INeuronModel
{
    /// <summary>The integrated value y.</summary>
    public static readonly StateVariable Y = new("v", "1");

    /// <inheritdoc />
    public int InputChannels => 1;

    /// <inheritdoc />
    public IReadOnlyList<StateVariable> StateVariables => [Y];

    /// <summary>β = e^(−Δt/τ) for a step of <paramref name="dtMs"/>.</summary>
    public float Decay(double dtMs)
    {
        Discretization.CheckStep(dtMs);
        return !(TauMs > 0)
            ? throw new Errors.InvalidParameterException($"tau must be a positive time (got {TauMs} ms).")
            : (float)Discretization.Decay(dtMs, TauMs); // e^(−Δt/∞) = 1 exactly: the integrator
    }

    /// <summary>One step: y ← β·y + h + I, the <see cref="LeakyIntegrator.Step"/> of a discrete-time membrane.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static float Step(float y, float beta, float h, float current) => LeakyIntegrator.Step(y, LeakyIntegratorConstants.Discrete(beta), h, current);

    NeuronGroup INeuronModel.CreateGroup(in GroupContext context) => new Group(this, context);

    private sealed class Group : NeuronGroup
    {
        private readonly float _beta;
        private readonly DeviceBuffer<float> _y;

        public Group(DiscreteLeakyIntegrator model, in GroupContext context) : base(context)
        {
            _beta = model.Decay(context.DtMs);
            _y = AddState(Y);
        }

        public override void Step(IComputeBackend backend, in NeuronStepArgs args)
            => backend.Launch(Count, new DiscreteLeakyIntegratorStepKernel(_beta, _y.View, args));
    }
}

/// <summary>The <see cref="DiscreteLeakyIntegrator"/> step over a group.</summary>
internal readonly struct DiscreteLeakyIntegratorStepKernel(float beta, ArrayView<float> y, in NeuronStepArgs args) : IRangeKernel
{
    private readonly float _beta = beta;
    private readonly ArrayView<float> _y = y, _input = args.SynapticInput, _current = args.Current;
    private readonly ArrayView<byte> _spikes = args.Spikes;

    public void Execute(int i)
    {
        _y[i] = DiscreteLeakyIntegrator.Step(_y[i], _beta, _input[i], _current[i]);
        _input[i] = 0f;
        _spikes[i] = 0;
    }

    public void ExecuteRange(int start, int end)
    {
        for (var i = start; i < end; i++) Execute(i);
    }
}
