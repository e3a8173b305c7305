namespace SpikeSim.Simulator.Neurons;

/// <summary>
/// Non-leaky integrate-and-fire neuron with delta synapses, NIR's <c>IF</c>:
/// <code>
/// dv/dt = R·I   (per ms)            v ← v + w on each arriving event
/// v &gt; v_threshold  ⇒  spike, reset, refractory for t_ref
/// </code>
/// With I held over a step the step is exact under either integrator: v ← v + input + R·I·dt — the <see cref="Lif"/> step
/// with β = 1 and v_leak = 0, which is what it runs.
/// </summary>
public sealed partial record IntegrateAndFire(
    double R = 1.0,
    double VThreshold = 1.0,
    double VReset = 0.0,
    double RefractoryMs = 0.0,
    ResetMode Reset = ResetMode.ToValue,
    SpikeComparison Comparison = SpikeComparison.Greater) : INeuronModel
{
    /// <summary>Membrane potential.</summary>
    public static readonly StateVariable V = new("v", "mV");

    /// <inheritdoc />
    public int InputChannels => 1;

    /// <inheritdoc />
    public IReadOnlyList<StateVariable> StateVariables => [V];

    /// <summary>The constants of one step of length <paramref name="dtMs"/>: a <see cref="Lif"/>'s with β = 1, v_leak = 0 and gain R·dt.</summary>
    public LifConstants Discretize(double dtMs)
    {
        Discretization.CheckStep(dtMs);
        Discretization.CheckRefractory(RefractoryMs);
        Discretization.CheckThreshold(VThreshold, VReset);
        ResetModes.CheckInStep(Reset, nameof(IntegrateAndFire));
        return new LifConstants(new LeakyIntegratorConstants(0f, 1f, (float)(R * dtMs)),
            new SpikeRule(VThreshold, VReset, Comparison, Reset, Discretization.RefractorySteps(RefractoryMs, dtMs)));
    }

    NeuronGroup INeuronModel.CreateGroup(in GroupContext context) => new Lif.Group(Discretize(context.DtMs), 0f, context);
}
