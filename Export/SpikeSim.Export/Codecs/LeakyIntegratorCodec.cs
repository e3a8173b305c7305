using SpikeSim.Export.Nir;
using SpikeSim.Export.Proto;
using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Export.Codecs;

/// <summary><see cref="LeakyIntegrator"/> as an <c>LI</c> node.</summary>
public sealed class LeakyIntegratorCodec : NeuronCodec<LeakyIntegrator>, INirNeuronCodec
{
    /// <inheritdoc />
    protected override Node.KindOneofCase Kind => Node.KindOneofCase.Li;

    /// <inheritdoc />
    protected override void Write(LeakyIntegrator m, Node node)
        => node.Li = new LI { TauMs = m.TauMs, R = m.R, VLeak = m.VLeak, Integrator = SpikingFields.Write(m.Integrator) };

    /// <inheritdoc />
    protected override LeakyIntegrator ReadModel(Node node)
        => new(node.Li.TauMs, node.Li.R, node.Li.VLeak, SpikingFields.Read(node.Li.Integrator));

    /// <inheritdoc />
    public string NirType => "LI";

    /// <summary>r = τ in seconds, so a spike of weight w raises v by w.</summary>
    public NirNode ToNir(INeuronModel model, int n, string population, IDictionary<string, string> metadata)
    {
        var m = (LeakyIntegrator)model;
        NirFields.CheckContinuous(population, m.Integrator);
        NirFields.KeepR(metadata, population, m.R);
        return NirNode.Of("LI", ("tau", NirFields.Fill(n, m.TauMs / 1000)), ("r", NirFields.Fill(n, m.TauMs / 1000)), ("v_leak", NirFields.Fill(n, m.VLeak)));
    }

    /// <inheritdoc />
    public (int Size, INeuronModel Model, double InputScale) FromNir(string name, NirNode node, IReadOnlyDictionary<string, string> metadata)
    {
        var tau = NirFields.Uniform(node, name, "tau");
        return (NirFields.Size(node, "tau"), new LeakyIntegrator(tau * 1000, NirFields.KeptR(metadata, name), NirFields.Uniform(node, name, "v_leak")),
            NirFields.Uniform(node, name, "r") / tau);
    }
}
