using SpikeSim.Export.Proto;
using SpikeSim.Simulator.Networks;
using Sim = SpikeSim.Simulator.Inputs;

namespace SpikeSim.Export.Codecs;

/// <summary><see cref="Sim.PoissonInput"/> as a <c>PoissonInput</c> node: the rate of each neuron's train, its weight and channel.</summary>
public sealed class PoissonInputCodec : InputCodec<Sim.PoissonInput>
{
    /// <inheritdoc />
    protected override Node.KindOneofCase Kind => Node.KindOneofCase.PoissonInput;

    /// <inheritdoc />
    protected override void Write(Sim.PoissonInput p, Node node)
        => node.PoissonInput = new PoissonInput { RateHz = p.RateHz, Weight = p.Weight, Channel = (uint)p.Channel };

    /// <inheritdoc />
    protected override Sim.PoissonInput ReadInput(Node node, Population target)
        => new(target, node.PoissonInput.RateHz, node.PoissonInput.Weight, (int)node.PoissonInput.Channel);
}
