using SpikeSim.Export.Proto;
using SpikeSim.Simulator.Inputs;
using SpikeSim.Simulator.Networks;

namespace SpikeSim.Export.Codecs;

/// <summary><see cref="NoiseCurrentInput"/> as a <c>NoiseCurrent</c> node: the bounds of the uniform current drawn per neuron per step.</summary>
public sealed class NoiseCurrentCodec : InputCodec<NoiseCurrentInput>
{
    /// <inheritdoc />
    protected override Node.KindOneofCase Kind => Node.KindOneofCase.NoiseCurrent;

    /// <inheritdoc />
    protected override void Write(NoiseCurrentInput n, Node node) => node.NoiseCurrent = new NoiseCurrent { Low = n.Low, High = n.High };

    /// <inheritdoc />
    protected override NoiseCurrentInput ReadInput(Node node, Population target) => new(target, node.NoiseCurrent.Low, node.NoiseCurrent.High);
}
