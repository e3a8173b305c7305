using SpikeSim.Export.Proto;
using Sim = SpikeSim.Simulator.Neurons;

namespace SpikeSim.Export.Codecs;

/// <summary><see cref="Sim.PoissonSource"/> as a <c>PoissonSource</c> node (one rate, or one per neuron).</summary>
public sealed class PoissonSourceCodec : NeuronCodec<Sim.PoissonSource>
{
    /// <inheritdoc />
    protected override Node.KindOneofCase Kind => Node.KindOneofCase.PoissonSource;

    /// <inheritdoc />
    protected override void Write(Sim.PoissonSource m, Node node)
    {
        node.PoissonSource = new PoissonSource { RateHz = m.RateHz };
        if (m.RatesHz is not null) node.PoissonSource.RatesHz.Add(m.RatesHz);
    }

    /// <inheritdoc />
    protected override Sim.PoissonSource ReadModel(Node node)
        => new(node.PoissonSource.RateHz) { RatesHz = node.PoissonSource.RatesHz.Count > 0 ? [.. node.PoissonSource.RatesHz] : null };
}
