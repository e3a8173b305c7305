using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Synapses;

namespace SpikeSim.Simulator.Plasticity;

/// <summary>
/// A local learning rule on a projection: a strategy that the engines call. Its parameters are a record; what an engine
/// runs is one of its forms, each a set of named hooks (GeNN's weight-update models are the model):
/// <list type="bullet">
/// <item><see cref="ITimeStepRule{TStep}"/>: the time-step engine's form, an unmanaged struct of per-step constants whose
/// hooks (<see cref="IRuleStep"/>: on a presynaptic spike, on a postsynaptic spike, per step per synapse) the engine's
/// kernels call on every backend;</item>
/// <item><see cref="IEventRule"/>: the event engine's form, the same hooks in double precision with the synapse's
/// dynamics between events solved exactly.</item>
/// </list>
/// A rule implements the forms it has; an engine refuses by name a rule without its form (<see cref="Refuse"/>), so a new
/// rule never runs silently as another. The engines keep a presynaptic trace x and a postsynaptic trace y per neuron
/// (x ← x·e^(−dt/τ) + 1 on a spike, or 1 with nearest pairing), an optional eligibility per synapse, and the
/// neuromodulator the rule names.
/// </summary>
public interface IPlasticityRule
{
    /// <summary>The neuromodulator the rule reads, or null (the engine then passes a level of 0).</summary>
    Neuromodulator? Modulator => null;

    /// <summary>The error an engine raises for a rule it has no form of: names the rule and what the engine needs.</summary>
    public static InvalidParameterException Refuse(IPlasticityRule rule, string engine, string form)
        => new($"The {engine} cannot run the learning rule {rule.GetType().Name}: it has no {form} form.");
}

/// <summary>
/// A rule's per-step form in the time-step engine: an unmanaged struct of constants (decays folded for one dt) whose
/// hooks kernels call on the host and through ILGPU alike. Within a step the engine calls, after delivery:
/// <see cref="OnPreSpike"/> for every synapse of each presynaptic neuron that fired, with the postsynaptic trace decayed
/// to this step but not yet holding this step's spikes; <see cref="OnPostSpike"/> likewise along each postsynaptic
/// neuron's column; the traces then decay and take this step's spikes; then, where <see cref="StepsEverySynapse"/>,
/// <see cref="OnStep"/> on every synapse with the neuromodulator's level. Rows of distinct sources and columns of
/// distinct targets are disjoint, so no hook races another.
/// </summary>
public interface IRuleStep
{
    /// <summary>e^(−dt/τ) of the presynaptic trace x.</summary>
    float PreDecay { get; }

    /// <summary>e^(−dt/τ) of the postsynaptic trace y.</summary>
    float PostDecay { get; }

    /// <summary>Which spikes the traces remember.</summary>
    TracePairing Pairing { get; }

    /// <summary>Whether each synapse carries an eligibility (4 bytes per synapse); the hooks get a scratch value where not.</summary>
    bool HasEligibility { get; }

    /// <summary>Whether <see cref="OnStep"/> runs over every synapse each step.</summary>
    bool StepsEverySynapse { get; }

    /// <summary>A presynaptic spike reaches synapse (w, eligibility); <paramref name="postTrace"/> is y at this step.</summary>
    void OnPreSpike(ref float weight, ref float eligibility, float postTrace);

    /// <summary>A postsynaptic spike at synapse (w, eligibility); <paramref name="preTrace"/> is x at this step.</summary>
    void OnPostSpike(ref float weight, ref float eligibility, float preTrace);

    /// <summary>One step of one synapse with the neuromodulator at <paramref name="modulator"/>.</summary>
    void OnStep(ref float weight, ref float eligibility, float modulator);

    /// <summary>
    /// <see cref="OnStep"/> over a range on the host: may be vectorised, but must give exactly what <see cref="OnStep"/>
    /// gives element by element (tests hold the kernels to it).
    /// </summary>
    void OnStepRange(Span<float> weight, Span<float> eligibility, float modulator);
}

/// <summary>A rule the time-step engine runs (see <see cref="ITimeStepRule{TStep}"/>).</summary>
public interface ITimeStepRule : IPlasticityRule
{
    /// <summary>The device state of a learning projection with this rule: called by the engine.</summary>
    SynapseGroup CreateSynapses(IComputeBackend backend, SparseConnectivity connectivity, double delayMs, double dtMs);
}

/// <summary>A rule whose time-step form is <typeparamref name="TStep"/>: implementing <see cref="Discretize"/> is all it takes.</summary>
public interface ITimeStepRule<TStep> : ITimeStepRule where TStep : unmanaged, IRuleStep
{
    /// <summary>The constants of one step of length <paramref name="dtMs"/>; refuses bad parameters by name.</summary>
    TStep Discretize(double dtMs);

    SynapseGroup ITimeStepRule.CreateSynapses(IComputeBackend backend, SparseConnectivity connectivity, double delayMs, double dtMs)
        => new PlasticSynapses<TStep>(backend, connectivity, delayMs, dtMs, Discretize(dtMs));
}

/// <summary>
/// A rule the event engine runs, in double precision, with traces decayed lazily to each spike:
/// x(t) = x(t_k)·e^(−(t − t_k)/τ). A spike at exactly the time of another does not pair with it.
/// </summary>
public interface IEventRule : IPlasticityRule
{
    /// <summary>τ of the presynaptic trace x, in ms.</summary>
    double PreTauMs { get; }

    /// <summary>τ of the postsynaptic trace y, in ms.</summary>
    double PostTauMs { get; }

    /// <summary>Which spikes the traces remember.</summary>
    TracePairing Pairing { get; }

    /// <summary>Whether the synapse changes between spikes (then <see cref="Advance"/> is called before every hook and read).</summary>
    bool EvolvesBetweenSpikes { get; }

    /// <summary>Checks the parameters (the same checks as the time-step form); called once when the engine is built.</summary>
    void Validate();

    /// <summary>A presynaptic spike reaches the synapse; <paramref name="postTrace"/> is y just before it.</summary>
    void OnPreSpike(ref double weight, ref double eligibility, double postTrace);

    /// <summary>A postsynaptic spike at the synapse; <paramref name="preTrace"/> is x just before it.</summary>
    void OnPostSpike(ref double weight, ref double eligibility, double preTrace);

    /// <summary>Carries the synapse exactly from <paramref name="fromMs"/> to <paramref name="toMs"/>, with the neuromodulator's history.</summary>
    void Advance(ref double weight, ref double eligibility, double fromMs, double toMs, IModulatorHistory? modulator);
}

/// <summary>A neuromodulator's level over time as the event engine keeps it: n(t) exactly, piece by piece between releases.</summary>
public interface IModulatorHistory
{
    /// <summary>n(t) for t at or after the last release.</summary>
    double Level(double t);

    /// <summary>∫ from t0 to t1 of (n(t) − b)·c0·e^(−(t − t0)/τ_c) dt, exactly.</summary>
    double Integral(double t0, double t1, double c0, double tauCMs, double b);
}

/// <summary>Which spike pairs a trace remembers.</summary>
public enum TracePairing
{
    /// <summary>Every earlier spike contributes: x ← x·e^(−dt/τ) + s.</summary>
    AllToAll,
    /// <summary>Only the latest spike: x ← 1 on a spike, else x·e^(−dt/τ).</summary>
    Nearest,
}

/// <summary>How a weight change depends on the weight.</summary>
public enum WeightDependence
{
    /// <summary>Δw₊ = A₊·x, Δw₋ = −A₋·y (hard bounds clip).</summary>
    Additive,
    /// <summary>Δw₊ = A₊·(W_max − w)·x, Δw₋ = −A₋·(w − W_min)·y (soft bounds).</summary>
    Multiplicative,
}
