using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Plasticity;
using ProtoPlasticity = SpikeSim.Export.Proto.Plasticity;

namespace SpikeSim.Export.Codecs;

/// <summary>
/// One learning rule in the SpikeSim model file: how a projection's rule becomes its <c>Plasticity</c> message and back.
/// The model file's writer and reader loop over a <see cref="RuleCodecs"/> registry of these and name no rule themselves:
/// <see cref="RuleCodec{TRule}"/> for the rules the schema names, <see cref="CustomRuleCodec{TRule}"/> for any other
/// (stored as a <c>CustomRule</c> by name).
/// </summary>
public interface IRuleCodec
{
    /// <summary>The rule type this codec writes.</summary>
    Type RuleType { get; }

    /// <summary>The rule's name in a <c>CustomRule</c>; null for the rules the schema names.</summary>
    string? CustomName { get; }

    /// <summary>Whether <paramref name="plasticity"/> is of the kind this codec reads.</summary>
    bool Reads(ProtoPlasticity plasticity);

    /// <summary><paramref name="rule"/> as a <c>Plasticity</c> message.</summary>
    ProtoPlasticity Write(IPlasticityRule rule, RuleWriting context);

    /// <summary>The rule <paramref name="plasticity"/> describes; throws a <see cref="SpikeSimException"/> naming the projection where a value is bad.</summary>
    IPlasticityRule Read(ProtoPlasticity plasticity, RuleReading context);
}

/// <summary>What a rule codec needs while a file is written: the step, and the file's names for neuromodulators (modulator_0, …, in order of first use).</summary>
public sealed class RuleWriting(double dtMs)
{
    private readonly Dictionary<Neuromodulator, string> _names = new(ReferenceEqualityComparer.Instance);

    /// <summary>The network's step in ms (Lava's rule strings are per step).</summary>
    public double DtMs { get; } = dtMs;

    /// <summary>The file's name of <paramref name="modulator"/>: the same name for the same modulator within one file.</summary>
    public string Name(Neuromodulator modulator)
        => _names.TryGetValue(modulator, out var known) ? known : _names[modulator] = $"modulator_{_names.Count}";
}

/// <summary>What a rule codec needs while a file is read: the projection's name, the populations, and the neuromodulators met so far.</summary>
public sealed class RuleReading(IReadOnlyDictionary<string, Simulator.Networks.Population> populations)
{
    private readonly Dictionary<string, Neuromodulator> _modulators = [];

    /// <summary>The projection whose rule is being read, for messages.</summary>
    public string Projection { get; internal set; } = "";

    /// <summary>
    /// The neuromodulator the file names <paramref name="name"/>: the first projection that names it defines it (τ_n, the
    /// population whose spikes release it, the release per spike); later ones share it.
    /// </summary>
    public Neuromodulator Modulator(string name, double tauNMs, string source, double perSpike)
    {
        if (_modulators.TryGetValue(name, out var known)) return known;
        Simulator.Networks.Population? population = null;
        if (source.Length > 0 && !populations.TryGetValue(source, out population))
            throw new SpikeSimException($"Projection '{Projection}' names a neuromodulator source '{source}' that is not a population.");
        return _modulators[name] = new Neuromodulator(tauNMs, population, perSpike);
    }
}

/// <summary>A codec of a rule the schema names: one <c>oneof rule</c> member of <c>Plasticity</c>.</summary>
public abstract class RuleCodec<TRule> : IRuleCodec where TRule : IPlasticityRule
{
    /// <summary>The member this rule is written as.</summary>
    protected abstract ProtoPlasticity.RuleOneofCase Kind { get; }

    /// <inheritdoc />
    public Type RuleType => typeof(TRule);

    /// <inheritdoc />
    public string? CustomName => null;

    /// <inheritdoc />
    public bool Reads(ProtoPlasticity plasticity) => plasticity.RuleCase == Kind;

    /// <inheritdoc />
    public ProtoPlasticity Write(IPlasticityRule rule, RuleWriting context) => Write((TRule)rule, context);

    /// <inheritdoc />
    public IPlasticityRule Read(ProtoPlasticity plasticity, RuleReading context) => ReadRule(plasticity, context);

    /// <summary>The message of <paramref name="rule"/>.</summary>
    protected abstract ProtoPlasticity Write(TRule rule, RuleWriting context);

    /// <summary>The rule of the message.</summary>
    protected abstract TRule ReadRule(ProtoPlasticity plasticity, RuleReading context);
}

/// <summary>
/// A codec of a rule outside the schema: written as a <c>CustomRule</c> holding <see cref="Name"/> and the parameters by
/// name, so a program adds a rule and its file format without touching the <c>.proto</c>. Such a rule reads no neuromodulator.
/// </summary>
public abstract class CustomRuleCodec<TRule> : IRuleCodec where TRule : IPlasticityRule
{
    /// <summary>The rule's name in files ("examples.symmetric_stdp"): unique among the codecs of a registry.</summary>
    public abstract string Name { get; }

    /// <inheritdoc />
    public Type RuleType => typeof(TRule);

    /// <inheritdoc />
    public string? CustomName => Name;

    /// <inheritdoc />
    public bool Reads(ProtoPlasticity plasticity) => plasticity.RuleCase == ProtoPlasticity.RuleOneofCase.Custom && plasticity.Custom.Rule == Name;

    /// <inheritdoc />
    public ProtoPlasticity Write(IPlasticityRule rule, RuleWriting context)
    {
        var message = new ProtoPlasticity { Custom = new Proto.CustomRule { Rule = Name } };
        CustomParameters.Write(message.Custom.Parameters, Parameters((TRule)rule));
        if (rule.Modulator is { } m)
            (message.Custom.Modulator, message.Custom.TauNMs, message.Custom.ModulatorSource, message.Custom.PerSpike) = (context.Name(m), m.TauNMs, m.Source?.Name ?? "", m.PerSpike);
        return message;
    }

    /// <inheritdoc />
    public IPlasticityRule Read(ProtoPlasticity plasticity, RuleReading context)
    {
        var custom = plasticity.Custom;
        var rule = FromParameters(CustomParameters.Reader(custom.Parameters, $"Projection '{context.Projection}'", Name));
        return custom.Modulator.Length == 0 ? rule
            : WithModulator(rule, context.Modulator(custom.Modulator, custom.TauNMs, custom.ModulatorSource, custom.PerSpike), context.Projection);
    }

    /// <summary>The rule's parameters by name, in the units its doc comment gives.</summary>
    protected abstract IEnumerable<(string Name, double Value)> Parameters(TRule rule);

    /// <summary>The rule from its parameters; <paramref name="get"/> returns one by name, or throws naming it.</summary>
    protected abstract TRule FromParameters(Func<string, double> get);

    /// <summary>
    /// The rule reading <paramref name="modulator"/> (the file's neuromodulator, shared with every rule that names it): a
    /// modulated rule's codec returns <c>rule with { Modulator = modulator }</c>; the default refuses, since the rule reads none.
    /// </summary>
    protected virtual TRule WithModulator(TRule rule, Neuromodulator modulator, string projection)
        => throw new SpikeSimException($"Projection '{projection}': the custom rule {Name} reads no neuromodulator, but the file gives it one.");
}
