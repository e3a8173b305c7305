using SpikeSim.Simulator.Errors;

namespace SpikeSim.Export.Codecs;

/// <summary>
/// Every codec a model file is written and read with, one per node kind: neuron models (<see cref="Neurons"/>), learning
/// rules (<see cref="Rules"/>), projections and inputs. The model file's writer and reader loop over it and name no kind
/// themselves. <see cref="BuiltIn"/> holds the library's; a program adds its own neuron models and rules with
/// <see cref="With(INeuronCodec[])"/> and <see cref="With(IRuleCodec[])"/> and passes the value to
/// <see cref="NetworkExporter"/> and <see cref="NetworkImporter"/> (there is no global registration).
/// </summary>
public sealed record ModelCodecs
{
    /// <summary>A registry of these codecs; two codecs of one type are refused.</summary>
    public ModelCodecs(NeuronCodecs neurons, RuleCodecs rules, IEnumerable<IProjectionCodec> projections, IEnumerable<IInputCodec> inputs)
    {
        Neurons = neurons;
        Rules = rules;
        Projections = CodecRegistry.Unique(projections, c => c.ConnectivityType, _ => null);
        Inputs = CodecRegistry.Unique(inputs, c => c.InputType, _ => null);
    }

    /// <summary>Neuron models.</summary>
    public NeuronCodecs Neurons { get; init; }

    /// <summary>Learning rules.</summary>
    public RuleCodecs Rules { get; init; }

    /// <summary>Projections, by explicit connectivity.</summary>
    public IReadOnlyList<IProjectionCodec> Projections { get; }

    /// <summary>Inputs, in the order a file lists them (all currents, then Poisson inputs, then noise).</summary>
    public IReadOnlyList<IInputCodec> Inputs { get; }

    /// <summary>The library's codecs.</summary>
    public static ModelCodecs BuiltIn { get; } = new(NeuronCodecs.BuiltIn, RuleCodecs.BuiltIn,
        [new LinearProjectionCodec(), new ScaleProjectionCodec(), new SparseProjectionCodec()],
        [new CurrentInputCodec(), new PoissonInputCodec(), new NoiseCurrentCodec()]);

    /// <summary>These codecs and a program's neuron models.</summary>
    public ModelCodecs With(params INeuronCodec[] more) => this with { Neurons = Neurons.With(more) };

    /// <summary>These codecs and a program's learning rules.</summary>
    public ModelCodecs With(params IRuleCodec[] more) => this with { Rules = Rules.With(more) };

    /// <summary>The codec of projection <paramref name="name"/>'s explicit connectivity.</summary>
    internal IProjectionCodec Projection(string name, Simulator.Synapses.Connectivity connectivity)
        => Projections.FirstOrDefault(c => c.ConnectivityType == connectivity.GetType())
            ?? throw new SpikeSimException($"Projection '{name}' is {connectivity.GetType().Name}, which no projection codec writes.");
}
