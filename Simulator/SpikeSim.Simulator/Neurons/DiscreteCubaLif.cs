using ILGPU;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Simulator.Neurons;

/// <summary>
/// The discrete-time current-based LIF (snnTorch's <c>Synaptic</c>; a forward-Euler reading of NIR's <c>CubaLIF</c>, as
/// Norse's importer builds it), one step of length Δt per call:
/// <code>
/// i[t] = α·i[t−1] + h[t]                          synaptic current; h the step's synaptic input
/// u[t] = β·u[t−1]·(1 − s[t−1]) + c·i[t] + I       reset to zero (ResetMode.ZeroAtNextStep; the current is not reset)
/// u[t] = β·u[t−1] + c·i[t] + I − θ·s[t−1]         or θ subtracted at the next step (ResetMode.SubtractAtNextStep)
/// s[t] = H(u[t] − θ)
/// α = e^(−Δt/τ_syn),  β = e^(−Δt/τ_mem)
/// </code>
/// With θ = +∞ (and the reset to zero) it never spikes: NIR's current-based leaky integrator, CubaLI.
/// c is the current's gain into the membrane: 1 in snnTorch's <c>Synaptic</c>, r·Δt/τ_mem in NIR's CubaLIF read by
/// forward Euler. A NIR reader chooses τ_syn and τ_mem so that α and β are the consumer's own.
/// </summary>
public sealed record DiscreteCubaLif(
    double TauSynMs = 5.0,
    double TauMemMs = 10.0,
    double VThreshold = 1.0,
    double CurrentGain = 1.0,
    ResetMode Reset = ResetMode.ZeroAtNextStep) : INeuronModel
{
    /// <summary>Synaptic current i.</summary>
    public static readonly StateVariable I = new("i_syn", "1");

    /// <summary>Membrane potential u.</summary>
    public static readonly StateVariable U = new("v", "1");

    /// <inheritdoc />
    public int InputChannels => 1;

    /// <inheritdoc />
    public IReadOnlyList<StateVariable> StateVariables => [U, I];

    /// <summary>The constants of one step of length <paramref name="dtMs"/>.</summary>
    public DiscreteCubaLifConstants Discretize(double dtMs)
    {
        Discretization.CheckStep(dtMs);
        ResetModes.CheckAtNextStep(Reset, nameof(DiscreteCubaLif));
        if (!(TauSynMs > 0) || double.IsInfinity(TauSynMs) || !(TauMemMs > 0) || double.IsInfinity(TauMemMs))
            throw new Errors.InvalidParameterException($"tau_syn and tau_mem must be positive times (got {TauSynMs} and {TauMemMs} ms).");
        // θ = +∞ never spikes (NIR's CubaLI); the reset to zero then never acts, where a subtraction would compute ∞·0.
        if (!(VThreshold > 0) || (double.IsPositiveInfinity(VThreshold) && Reset != ResetMode.ZeroAtNextStep))
            throw new Errors.InvalidParameterException($"The threshold must be positive, and finite unless the reset is to zero (got {VThreshold}).");
        if (!double.IsFinite(CurrentGain)) throw new Errors.InvalidParameterException($"The current gain must be finite (got {CurrentGain}).");
        return new DiscreteCubaLifConstants((float)Discretization.Decay(dtMs, TauSynMs), (float)Discretization.Decay(dtMs, TauMemMs),
            (float)VThreshold, (float)CurrentGain, Reset);
    }

    NeuronGroup INeuronModel.CreateGroup(in GroupContext context) => new Group(this, context);

    private sealed class Group : NeuronGroup
    {
        private readonly DiscreteCubaLifConstants _constants;
        private readonly DeviceBuffer<float> _u, _i, _s;

        public Group(DiscreteCubaLif model, in GroupContext context) : base(context)
        {
            _constants = model.Discretize(context.DtMs);
            _u = AddState(U);
            _i = AddState(I);
            _s = AddBuffer<float>(Count);
        }

        public override void Step(IComputeBackend backend, in NeuronStepArgs args)
            => backend.Launch(Count, new DiscreteCubaLifStepKernel(_constants, _u.View, _i.View, _s.View, args));
    }
}

/// <summary>The per-step constants of a <see cref="DiscreteCubaLif"/>, computed once on the host.</summary>
public readonly struct DiscreteCubaLifConstants(float alpha, float beta, float threshold, float gain, ResetMode reset)
{
    /// <summary>Current decay per step, α.</summary>
    public readonly float Alpha = alpha;

    /// <summary>The membrane: rest 0, decay β, current unscaled.</summary>
    public readonly LeakyIntegratorConstants Membrane = LeakyIntegratorConstants.Discrete(beta);

    /// <summary>What the previous step's spike does (θ, v_reset 0, the strict test, the reset at the next step).</summary>
    public readonly SpikeRule Reset = new(threshold, 0, SpikeComparison.Greater, reset, 0);

    /// <summary>The current's gain into the membrane, c.</summary>
    public readonly float Gain = gain;

    /// <summary>
    /// One step of one neuron: i ← α·i + h, then the membrane's step with input c·i and the previous step's spike s taken
    /// back (<see cref="SpikeRule.StepAtNextStep"/>): u ← β·(u·(1 − s)) + c·i + I, or u ← β·u + c·i + I − θ·s. Returns u − θ;
    /// the neuron spikes where it is &gt; 0.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public float Integrate(ref float u, ref float i, float s, float h, float current = 0f)
    {
        i = Alpha * i + h;
        u = Reset.StepAtNextStep(u, Membrane, s, Gain * i, current);
        return u - Reset.VThreshold;
    }
}

/// <summary>The <see cref="DiscreteCubaLif"/> step over a group: the synaptic input of the step is h, the injected current I.</summary>
internal readonly struct DiscreteCubaLifStepKernel(DiscreteCubaLifConstants c, ArrayView<float> u, ArrayView<float> i, ArrayView<float> s, in NeuronStepArgs args) : IRangeKernel
{
    private readonly DiscreteCubaLifConstants _c = c;
    private readonly ArrayView<float> _u = u, _i = i, _s = s, _input = args.SynapticInput, _current = args.Current;
    private readonly ArrayView<byte> _spikes = args.Spikes;

    public void Execute(int k)
    {
        float uk = _u[k], ik = _i[k];
        var fired = _c.Integrate(ref uk, ref ik, _s[k], _input[k], _current[k]) > 0f;
        _input[k] = 0f;
        (_u[k], _i[k], _s[k]) = (uk, ik, fired ? 1f : 0f);
        _spikes[k] = fired ? (byte)1 : (byte)0;
    }

    public void ExecuteRange(int start, int end)
    {
        Span<float> u = _u.AsSpan(), i = _i.AsSpan(), s = _s.AsSpan(), input = _input.AsSpan(), current = _current.AsSpan();
        var spikes = _spikes.AsSpan();
        for (var k = start; k < end; k++)
        {
            var fired = _c.Integrate(ref u[k], ref i[k], s[k], input[k], current[k]) > 0f;
            input[k] = 0f;
            s[k] = fired ? 1f : 0f;
            spikes[k] = fired ? (byte)1 : (byte)0;
        }
    }
}
