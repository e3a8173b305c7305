using ILGPU;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Simulator.Neurons;

/// <summary>
/// The discrete-time LIF and ALIF neuron of trainable layers (snnTorch's <c>Leaky</c>; Bellec et al. 2018's ALIF), one step
/// of length Δt per call, with the input h[t] entering unscaled (no (1 − β) factor):
/// <code>
/// a[t] = ρ·a[t−1] + s[t−1]                        adaptation trace (b = 0: plain LIF)
/// u[t] = β·u[t−1] + h[t] + I − θ·s[t−1]            θ subtracted at the next step (ResetMode.SubtractAtNextStep)
/// u[t] = β·(u[t−1]·(1 − s[t−1])) + h[t] + I        or to zero (ResetMode.ZeroAtNextStep)
/// s[t] = H(u[t] − θ − b·a[t])                     spike where the membrane is strictly above the (adaptive) threshold
/// β = e^(−Δt/τ_mem),  ρ = e^(−Δt/τ_adapt)        (τ_mem = +∞: β = 1, the non-leaky IF; τ_mem = 0: β = 0, no memory)
/// </code>
/// with u[−1] = a[−1] = s[−1] = 0, h[t] the synaptic input of the step and I a constant current. The membrane's step is
/// <see cref="LeakyIntegrator.Step"/> (v_leak = 0, gains 1), the one leaky update of every LIF-family model. The training
/// scans and the time-step engine both call <see cref="DiscreteLifConstants.Integrate"/>, so a trained layer runs in the
/// simulator with the same spikes, bit for bit.
/// </summary>
public sealed record DiscreteLif(
    double TauMemMs = 10.0,
    double VThreshold = 1.0,
    double TauAdaptMs = 200.0,
    double AdaptationStrength = 0.0,
    ResetMode Reset = ResetMode.SubtractAtNextStep) : INeuronModel
{
    /// <summary>Membrane potential u.</summary>
    public static readonly StateVariable U = new("v", "1");

    /// <summary>Adaptation trace a (the threshold is θ + b·a).</summary>
    public static readonly StateVariable A = new("a", "1");

    /// <inheritdoc />
    public int InputChannels => 1;

    /// <inheritdoc />
    public IReadOnlyList<StateVariable> StateVariables => [U, A];

    /// <summary>The constants of one step of length <paramref name="dtMs"/>.</summary>
    public DiscreteLifConstants Discretize(double dtMs)
    {
        Discretization.CheckStep(dtMs);
        ResetModes.CheckAtNextStep(Reset, nameof(DiscreteLif));
        // τ_mem = +∞ is the non-leaky integrate-and-fire neuron (β = 1), as NIR's IF nodes are read; τ_mem = 0 keeps no
        // memory (β = 0): with the reset to zero, s[t] = H(h[t] − θ), NIR's Threshold node.
        if (!(TauMemMs >= 0)) throw new Errors.InvalidParameterException($"tau_mem must be zero or a positive time (got {TauMemMs} ms).");
        if (!(VThreshold > 0) || double.IsInfinity(VThreshold)) throw new Errors.InvalidParameterException($"The threshold must be positive and finite (got {VThreshold}).");
        if (!(AdaptationStrength >= 0) || double.IsInfinity(AdaptationStrength)) throw new Errors.InvalidParameterException($"The adaptation strength must be ≥ 0 (got {AdaptationStrength}).");
        if (AdaptationStrength > 0 && (!(TauAdaptMs > 0) || double.IsInfinity(TauAdaptMs))) throw new Errors.InvalidParameterException($"tau_adapt must be a positive time (got {TauAdaptMs} ms).");
        return new DiscreteLifConstants((float)Discretization.Decay(dtMs, TauMemMs), (float)VThreshold,
            AdaptationStrength > 0 ? (float)Discretization.Decay(dtMs, TauAdaptMs) : 0f, (float)AdaptationStrength, Reset);
    }

    NeuronGroup INeuronModel.CreateGroup(in GroupContext context) => new Group(this, context);

    private sealed class Group : NeuronGroup
    {
        private readonly DiscreteLifConstants _constants;
        private readonly DeviceBuffer<float> _u, _a, _s;

        public Group(DiscreteLif model, in GroupContext context) : base(context)
        {
            _constants = model.Discretize(context.DtMs);
            _u = AddState(U);
            _a = AddState(A);
            _s = AddBuffer<float>(Count);
        }

        public override void Step(IComputeBackend backend, in NeuronStepArgs args)
            => backend.Launch(Count, new DiscreteLifStepKernel(_constants, _u.View, _a.View, _s.View, args));
    }
}

/// <summary>The per-step constants of a <see cref="DiscreteLif"/>, computed once on the host (kernels never call exp).</summary>
public readonly struct DiscreteLifConstants(float beta, float threshold, float rho, float adaptation, ResetMode reset = ResetMode.SubtractAtNextStep)
{
    /// <summary>The membrane: rest 0, decay β, input and current unscaled.</summary>
    public readonly LeakyIntegratorConstants Membrane = LeakyIntegratorConstants.Discrete(beta);

    /// <summary>What the previous step's spike does.</summary>
    public readonly NextStepReset Reset = new(threshold, reset);

    /// <summary>Membrane decay per step, β.</summary>
    public float Beta => Membrane.Decay;

    /// <summary>Threshold θ (also the amount subtracted at a spike).</summary>
    public float Threshold => Reset.Threshold;

    /// <summary>1 where a spike resets the membrane to zero, 0 where it subtracts θ.</summary>
    public int ResetToZero => Reset.ResetToZero;

    /// <summary>Adaptation decay per step, ρ (unused where b = 0).</summary>
    public readonly float Rho = rho;

    /// <summary>Adaptation strength b: the threshold rises by b per unit of the adaptation trace.</summary>
    public readonly float Adaptation = adaptation;

    /// <summary>
    /// One step of one neuron: a ← ρ·a + s, then the membrane's step with the previous step's spike s taken back
    /// (<see cref="NextStepReset.Step"/>). Returns the margin x = u − θ − b·a; the neuron spikes where x &gt; 0.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public float Integrate(ref float u, ref float a, float s, float h, float current = 0f)
    {
        a = Rho * a + s;
        u = Reset.Step(u, Membrane, s, h, current);
        return u - Threshold - Adaptation * a;
    }
}

/// <summary>The <see cref="DiscreteLif"/> step over a group: the synaptic input of the step is h, the injected current I.</summary>
internal readonly struct DiscreteLifStepKernel(DiscreteLifConstants c, ArrayView<float> u, ArrayView<float> a, ArrayView<float> s, in NeuronStepArgs args) : IRangeKernel
{
    private readonly DiscreteLifConstants _c = c;
    private readonly ArrayView<float> _u = u, _a = a, _s = s, _input = args.SynapticInput, _current = args.Current;
    private readonly ArrayView<byte> _spikes = args.Spikes;

    public void Execute(int i)
    {
        float ui = _u[i], ai = _a[i];
        var fired = _c.Integrate(ref ui, ref ai, _s[i], _input[i], _current[i]) > 0f;
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
            var fired = _c.Integrate(ref u[i], ref a[i], s[i], input[i], current[i]) > 0f;
            input[i] = 0f;
            s[i] = fired ? 1f : 0f;
            spikes[i] = fired ? (byte)1 : (byte)0;
        }
    }
}
