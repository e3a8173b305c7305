using SpikeSim.Export.Proto;
using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Export.Codecs;

/// <summary><see cref="LeakyIntegrator"/> as an <c>LI</c> node.</summary>
public sealed class LeakyIntegratorCodec : NeuronCodec<LeakyIntegrator>
{
    /// <inheritdoc />
    protected override Node.KindOneofCase Kind => Node.KindOneofCase.Li;

    /// <inheritdoc />
    protected override void Write(LeakyIntegrator m, Node node)
        => node.Li = new LI { TauMs = m.TauMs, R = m.R, VLeak = m.VLeak, Integrator = SpikingFields.Write(m.Integrator) };

    /// <inheritdoc />
    protected override LeakyIntegrator ReadModel(Node node)
        => new(node.Li.TauMs, node.Li.R, node.Li.VLeak, SpikingFields.Read(node.Li.Integrator));
}
