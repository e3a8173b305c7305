using SpikeSim.Export.Proto;
using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Export.Codecs;

/// <summary>
/// One neuron model in the SpikeSim model file: how a population's model becomes a node and back. The model file's
/// writer and reader loop over a <see cref="NeuronCodecs"/> registry of these and name no model themselves, so adding a
/// model is adding its codec: <see cref="NeuronCodec{TModel}"/> for the kinds the schema names,
/// <see cref="CustomNeuronCodec{TModel}"/> for any other (stored as a <c>CustomNeuron</c> node by name).
/// </summary>
public interface INeuronCodec
{
    /// <summary>The model type this codec writes.</summary>
    Type ModelType { get; }

    /// <summary>The model's name in a <c>CustomNeuron</c> node; null for the kinds the schema names.</summary>
    string? CustomName { get; }

    /// <summary>Whether <paramref name="node"/> is of the kind this codec reads.</summary>
    bool Reads(Node node);

    /// <summary>Sets <paramref name="node"/>'s kind to <paramref name="model"/>'s parameters.</summary>
    void Write(INeuronModel model, Node node);

    /// <summary>The model <paramref name="node"/> describes; throws a <see cref="Simulator.Errors.SpikeSimException"/> naming the node where a value is bad.</summary>
    INeuronModel Read(Node node);
}

/// <summary>A codec of a model the schema names: one <c>oneof kind</c> member of <see cref="Node"/>.</summary>
public abstract class NeuronCodec<TModel> : INeuronCodec where TModel : INeuronModel
{
    /// <summary>The node kind this model is written as.</summary>
    protected abstract Node.KindOneofCase Kind { get; }

    /// <inheritdoc />
    public Type ModelType => typeof(TModel);

    /// <inheritdoc />
    public string? CustomName => null;

    /// <inheritdoc />
    public bool Reads(Node node) => node.KindCase == Kind;

    /// <inheritdoc />
    public void Write(INeuronModel model, Node node) => Write((TModel)model, node);

    /// <inheritdoc />
    public INeuronModel Read(Node node) => ReadModel(node);

    /// <summary>Sets the node's kind from the model.</summary>
    protected abstract void Write(TModel model, Node node);

    /// <summary>The model of the node.</summary>
    protected abstract TModel ReadModel(Node node);
}

/// <summary>
/// A codec of a model outside the schema: written as a <c>CustomNeuron</c> node holding <see cref="Name"/> and the
/// parameters by name, so a program adds a model and its file format without touching the <c>.proto</c>.
/// </summary>
public abstract class CustomNeuronCodec<TModel> : INeuronCodec where TModel : INeuronModel
{
    /// <summary>The model's name in files ("examples.qif"): unique among the codecs of a registry.</summary>
    public abstract string Name { get; }

    /// <inheritdoc />
    public Type ModelType => typeof(TModel);

    /// <inheritdoc />
    public string? CustomName => Name;

    /// <inheritdoc />
    public bool Reads(Node node) => node.KindCase == Node.KindOneofCase.CustomNeuron && node.CustomNeuron.Model == Name;

    /// <inheritdoc />
    public void Write(INeuronModel model, Node node)
    {
        node.CustomNeuron = new CustomNeuron { Model = Name };
        CustomParameters.Write(node.CustomNeuron.Parameters, Parameters((TModel)model));
    }

    /// <inheritdoc />
    public INeuronModel Read(Node node)
    {
        return FromParameters(CustomParameters.Reader(node.CustomNeuron.Parameters, $"Node '{node.Name}'", Name));
    }

    /// <summary>The model's parameters by name, in the units its doc comment gives.</summary>
    protected abstract IEnumerable<(string Name, double Value)> Parameters(TModel model);

    /// <summary>The model from its parameters; <paramref name="get"/> returns one by name, or throws naming it.</summary>
    protected abstract TModel FromParameters(Func<string, double> get);
}
