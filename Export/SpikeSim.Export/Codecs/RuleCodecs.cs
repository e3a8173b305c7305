using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Plasticity;
using ProtoPlasticity = SpikeSim.Export.Proto.Plasticity;

namespace SpikeSim.Export.Codecs;

/// <summary>
/// The learning-rule codecs a model file is written and read with: <see cref="BuiltIn"/> holds one per rule the engines
/// run; <see cref="With"/> returns a registry that also knows a program's own rules (an immutable value passed to
/// <see cref="NetworkExporter"/> and <see cref="NetworkImporter"/>; there is no global registration).
/// </summary>
public sealed class RuleCodecs
{
    private readonly IReadOnlyList<IRuleCodec> _codecs;

    /// <summary>A registry of exactly <paramref name="codecs"/>; two codecs of one rule type or one custom name are refused.</summary>
    public RuleCodecs(IEnumerable<IRuleCodec> codecs)
    {
        _codecs = CodecRegistry.Unique(codecs, c => c.RuleType, c => c.CustomName);
    }

    /// <summary>The codecs of every rule the simulation engines define.</summary>
    public static RuleCodecs BuiltIn { get; } = new([new PairStdpCodec(), new ThreeFactorStdpCodec(), new DecomposedStdpCodec()]);

    /// <summary>This registry and <paramref name="more"/>.</summary>
    public RuleCodecs With(params IRuleCodec[] more) => new(_codecs.Concat(more));

    /// <summary>The message of projection <paramref name="projection"/>'s rule; refuses a rule no codec writes.</summary>
    public ProtoPlasticity Write(string projection, IPlasticityRule rule, RuleWriting context)
        => (_codecs.FirstOrDefault(c => c.RuleType == rule.GetType())
            ?? throw new SpikeSimException($"Projection '{projection}' learns by {rule.GetType().Name}, which no rule codec writes (a program adds its rules' codecs with RuleCodecs.With)."))
            .Write(rule, context);

    /// <summary>The rule of projection <paramref name="projection"/>'s <paramref name="plasticity"/>; refuses a rule no codec reads, naming the projection.</summary>
    public IPlasticityRule Read(string projection, ProtoPlasticity plasticity, RuleReading context)
    {
        context.Projection = projection;
        var codec = _codecs.FirstOrDefault(c => c.Reads(plasticity));
        if (codec is not null) return codec.Read(plasticity, context);
        throw new SpikeSimException(plasticity.RuleCase switch
        {
            ProtoPlasticity.RuleOneofCase.Custom =>
                $"Projection '{context.Projection}' learns by a custom rule '{plasticity.Custom.Rule}', which no registered codec reads; the program that wrote it has one.",
            ProtoPlasticity.RuleOneofCase.Backpropamine =>
                $"Projection '{context.Projection}' learns by a {plasticity.RuleCase} rule, which the simulation engines do not run.",
            _ => $"Projection '{context.Projection}' has a learning rule this SpikeSim does not know.",
        });
    }
}
