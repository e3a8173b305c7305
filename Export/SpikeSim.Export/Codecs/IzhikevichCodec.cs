using SpikeSim.Export.Proto;
using Sim = SpikeSim.Simulator.Neurons;

namespace SpikeSim.Export.Codecs;

/// <summary><see cref="Sim.Izhikevich"/> as an <c>Izhikevich</c> node.</summary>
public sealed class IzhikevichCodec : NeuronCodec<Sim.Izhikevich>
{
    /// <inheritdoc />
    protected override Node.KindOneofCase Kind => Node.KindOneofCase.Izhikevich;

    /// <inheritdoc />
    protected override void Write(Sim.Izhikevich m, Node node) => node.Izhikevich = new Izhikevich { A = m.A, B = m.B, C = m.C, D = m.D, VPeak = m.VPeak };

    /// <inheritdoc />
    protected override Sim.Izhikevich ReadModel(Node node) => new(node.Izhikevich.A, node.Izhikevich.B, node.Izhikevich.C, node.Izhikevich.D, node.Izhikevich.VPeak);
}
