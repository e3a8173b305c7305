using Google.Protobuf;
using SpikeSim.Export.Proto;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Export.Codecs;

/// <summary>
/// The neuron codecs a model file is written and read with: <see cref="BuiltIn"/> holds one per model the library
/// defines; <see cref="With"/> returns a registry that also knows a program's own models (an immutable value, passed to
/// <see cref="NetworkExporter"/> and <see cref="NetworkImporter"/>; there is no global registration).
/// </summary>
public sealed class NeuronCodecs
{
    private readonly IReadOnlyList<INeuronCodec> _codecs;

    /// <summary>A registry of exactly <paramref name="codecs"/>; two codecs of one model type or one custom name are refused.</summary>
    public NeuronCodecs(IEnumerable<INeuronCodec> codecs)
    {
        _codecs = CodecRegistry.Unique(codecs, c => c.ModelType, c => c.CustomName);
    }

    /// <summary>The codecs of every neuron model the library defines.</summary>
    public static NeuronCodecs BuiltIn { get; } = new(
    [
        new LifCodec(), new IntegrateAndFireCodec(), new LeakyIntegratorCodec(), new CubaLifCodec(), new AdaptiveLifCodec(),
        new IzhikevichCodec(), new PoissonSourceCodec(), new SpikeTimeSourceCodec(),
    ]);

    /// <summary>This registry and <paramref name="more"/>.</summary>
    public NeuronCodecs With(params INeuronCodec[] more) => new(_codecs.Concat(more));

    /// <summary>The node of <paramref name="size"/> neurons of <paramref name="model"/>, named <paramref name="name"/>.</summary>
    public Node Write(string name, int size, INeuronModel model)
    {
        var codec = _codecs.FirstOrDefault(c => c.ModelType == model.GetType())
            ?? throw new SpikeSimException($"Population '{name}' uses {model.GetType().Name}, which no neuron codec writes (a program adds its models' codecs with NeuronCodecs.With).");
        var node = new Node { Name = name, Size = (uint)size };
        codec.Write(model, node);
        return node;
    }

    /// <summary>Whether <paramref name="node"/> is a neuron population (of a known model or a custom one).</summary>
    public bool IsPopulation(Node node) => node.KindCase == Node.KindOneofCase.CustomNeuron || _codecs.Any(c => c.Reads(node));

    /// <summary>The model of population node <paramref name="node"/>: every real parameter finite, then its codec's reading.</summary>
    public INeuronModel Read(Node node)
    {
        var codec = _codecs.FirstOrDefault(c => c.Reads(node))
            ?? throw new SpikeSimException(node.KindCase == Node.KindOneofCase.CustomNeuron
                ? $"Node '{node.Name}' is a custom neuron model '{node.CustomNeuron.Model}', which no registered codec reads; the program that wrote it has one."
                : $"Node '{node.Name}' is not a neuron population.");
        if (node.KindCase != Node.KindOneofCase.CustomNeuron) Finite(node);
        return codec.Read(node);
    }

    /// <summary>The NIR node of population <paramref name="name"/>; refuses a model NIR cannot hold, naming the population.</summary>
    public Nir.NirNode ToNir(string name, int size, INeuronModel model, IDictionary<string, string> metadata)
        => _codecs.FirstOrDefault(c => c.ModelType == model.GetType()) is INirNeuronCodec codec
            ? codec.ToNir(model, size, name, metadata)
            : throw new SpikeSimException($"Population '{name}' is {model.GetType().Name}, which NIR cannot express (it has {string.Join(", ", _codecs.OfType<INirNeuronCodec>().Select(c => c.NirType))}).");

    /// <summary>The population a NIR neuron node describes, or null where the node is not one of the neuron types the codecs read.</summary>
    public (int Size, INeuronModel Model, double InputScale)? FromNir(string name, Nir.NirNode node, IReadOnlyDictionary<string, string> metadata)
        => _codecs.OfType<INirNeuronCodec>().FirstOrDefault(c => c.NirType == node.Type)?.FromNir(name, node, metadata);

    /// <summary>The NIR neuron types the codecs read.</summary>
    public IEnumerable<string> NirTypes => _codecs.OfType<INirNeuronCodec>().Select(c => c.NirType);

    // Every double field of the node's model message (and of its Spiking message) must be finite.
    private static void Finite(Node node)
    {
        if (Node.Descriptor.Oneofs.First(o => o.Name == "kind").Accessor.GetCaseFieldDescriptor(node)?.Accessor.GetValue(node) is not IMessage message) return;
        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            var value = field.Accessor.GetValue(message);
            if (value is double d && !double.IsFinite(d)) throw new SpikeSimException($"Node '{node.Name}' has {field.Name} = {d}; parameters must be finite.");
            if (value is Spiking s && new[] { s.VThreshold, s.VReset, s.RefractoryMs }.Any(x => !double.IsFinite(x)))
                throw new SpikeSimException($"Node '{node.Name}' has a non-finite threshold, reset or refractory period.");
        }
    }
}
