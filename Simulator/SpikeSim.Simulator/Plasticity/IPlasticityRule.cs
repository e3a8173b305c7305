using ILGPU;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Synapses;

namespace SpikeSim.Simulator.Plasticity;

/// <summary>
/// A local learning rule on a projection: a strategy that the engines call. Its parameters are a record; what an engine
/// runs is one of its forms, each a set of named hooks (GeNN's weight-update models are the model):
/// <list type="bullet">
/// <item><see cref="ITimeStepRule{TStep}"/>: the time-step engine's form, a struct of per-step constants whose
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
/// A rule's per-step form in the time-step engine: a struct of constants (decays folded for one dt) whose
/// hooks kernels call on the host and through ILGPU alike. Within a step the engine calls, after delivery:
/// <see cref="OnPreSpike"/> for every synapse of each presynaptic neuron that fired, with the postsynaptic trace decayed
/// to this step but not yet holding this step's spikes; <see cref="OnPostSpike"/> likewise along each postsynaptic
/// neuron's column; the traces then decay and take this step's spikes; then, where <see cref="StepsEverySynapse"/>,
/// <see cref="BeginStep"/> once (where <see cref="BeginsEachStep"/>) and <see cref="OnStep"/> on every synapse with the
/// neuromodulator's level and, where <see cref="ReadsSites"/>, the synapse's site (its neurons and their traces, this
/// step's spikes included). Rows of distinct sources and columns of distinct targets are disjoint, so no hook races another.
/// A form may hold device views (per-neuron coefficients, a cell for a value it computes in <see cref="BeginStep"/>):
/// its rule then allocates them in <see cref="ITimeStepRule.CreateSynapses"/>.
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

    /// <summary>
    /// Whether <see cref="OnStep"/> reads its synapse's site. Where it does, the engine steps row by row (one device
    /// thread per presynaptic neuron); where not, synapse by synapse, passing a default site and, on the host, ranges of
    /// synapses of several rows to <see cref="OnStepRow"/> with a default row.
    /// </summary>
    bool ReadsSites { get; }

    /// <summary>Whether <see cref="BeginStep"/> runs (once, on one device thread) before each step's <see cref="OnStep"/>s.</summary>
    bool BeginsEachStep { get; }

    /// <summary>
    /// Once per step, before the synapses' <see cref="OnStep"/>: a value of the whole postsynaptic population (a readout
    /// of its traces <paramref name="postTrace"/>, say) into a device cell the form holds.
    /// </summary>
    void BeginStep(ArrayView<float> postTrace);

    /// <summary>A presynaptic spike reaches synapse (w, eligibility); <paramref name="postTrace"/> is y at this step.</summary>
    void OnPreSpike(ref float weight, ref float eligibility, float postTrace);

    /// <summary>A postsynaptic spike at synapse (w, eligibility); <paramref name="preTrace"/> is x at this step.</summary>
    void OnPostSpike(ref float weight, ref float eligibility, float preTrace);

    /// <summary>One step of the synapse at <paramref name="site"/> with the neuromodulator at <paramref name="modulator"/>.</summary>
    void OnStep(ref float weight, ref float eligibility, SynapseSite site, float modulator);

    /// <summary>
    /// <see cref="OnStep"/> along one presynaptic neuron's row on the host (rules with an eligibility; a run of synapses
    /// and a default row where the rule reads no site): may be vectorised, but must give exactly what
    /// <see cref="OnStep"/> gives synapse by synapse (tests hold the kernels to it).
    /// </summary>
    void OnStepRow(in SynapseRow row, Span<float> weight, Span<float> eligibility, float modulator);
}

/// <summary>A synapse as its per-step hook sees it: its neurons and their traces at this step, this step's spikes included.</summary>
public readonly record struct SynapseSite(int Source, int Target, float PreTrace, float PostTrace);

/// <summary>
/// One presynaptic neuron's row on the host: its index and trace, its synapses' targets, and every postsynaptic
/// neuron's trace (indexed by neuron).
/// </summary>
public readonly ref struct SynapseRow(int source, float preTrace, ReadOnlySpan<int> targets, ReadOnlySpan<float> postTrace)
{
    /// <summary>The presynaptic neuron.</summary>
    public int Source { get; } = source;

    /// <summary>Its trace x at this step.</summary>
    public float PreTrace { get; } = preTrace;

    /// <summary>The target of each synapse of the row.</summary>
    public ReadOnlySpan<int> Targets { get; } = targets;

    /// <summary>Every postsynaptic neuron's trace y, by neuron.</summary>
    public ReadOnlySpan<float> PostTrace { get; } = postTrace;

    /// <summary>The site of the row's synapse <paramref name="k"/>.</summary>
    public SynapseSite Site(int k) => new(Source, Targets[k], PreTrace, PostTrace[Targets[k]]);

    /// <summary>
    /// The first target where the row's targets are consecutive neurons (a dense row: the postsynaptic values then lie
    /// in one slice), else −1.
    /// </summary>
    public int ConsecutiveFrom()
    {
        if (Targets.IsEmpty) return -1;
        var first = Targets[0];
        for (var k = 1; k < Targets.Length; k++)
            if (Targets[k] != first + k) return -1;
        return first;
    }
}

/// <summary>A rule the time-step engine runs (see <see cref="ITimeStepRule{TStep}"/>).</summary>
public interface ITimeStepRule : IPlasticityRule
{
    /// <summary>The device state of a learning projection with this rule: called by the engine.</summary>
    SynapseGroup CreateSynapses(IComputeBackend backend, SparseConnectivity connectivity, double delayMs, double dtMs);
}

/// <summary>A rule whose time-step form is <typeparamref name="TStep"/>: implementing <see cref="Discretize"/> is all it takes.</summary>
public interface ITimeStepRule<TStep> : ITimeStepRule where TStep : struct, IRuleStep
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
