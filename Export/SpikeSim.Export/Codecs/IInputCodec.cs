using SpikeSim.Export.Proto;
using SpikeSim.Simulator.Inputs;
using SpikeSim.Simulator.Networks;

namespace SpikeSim.Export.Codecs;

/// <summary>
/// One kind of network input in the SpikeSim model file: how an input becomes a node (an edge leads from it to its
/// target) and back. The writer and reader loop over <see cref="ModelCodecs.Inputs"/> and name no input themselves.
/// </summary>
public interface IInputCodec
{
    /// <summary>The input type this codec writes.</summary>
    Type InputType { get; }

    /// <summary>Whether <paramref name="node"/> is of the kind this codec reads.</summary>
    bool Reads(Node node);

    /// <summary>Sets <paramref name="node"/>'s kind to <paramref name="input"/>.</summary>
    void Write(NetworkInput input, Node node);

    /// <summary>The input <paramref name="node"/> describes into <paramref name="target"/>; refuses bad values naming the node.</summary>
    NetworkInput Read(Node node, Population target);
}

/// <summary>A codec of inputs of type <typeparamref name="TInput"/>, stored as node kind <see cref="Kind"/>.</summary>
public abstract class InputCodec<TInput> : IInputCodec where TInput : NetworkInput
{
    /// <summary>The node kind this input is written as.</summary>
    protected abstract Node.KindOneofCase Kind { get; }

    /// <inheritdoc />
    public Type InputType => typeof(TInput);

    /// <inheritdoc />
    public bool Reads(Node node) => node.KindCase == Kind;

    /// <inheritdoc />
    public void Write(NetworkInput input, Node node) => Write((TInput)input, node);

    /// <inheritdoc />
    public NetworkInput Read(Node node, Population target) => ReadInput(node, target);

    /// <summary>Sets the node's kind from the input.</summary>
    protected abstract void Write(TInput input, Node node);

    /// <summary>The input of the node.</summary>
    protected abstract TInput ReadInput(Node node, Population target);
}
