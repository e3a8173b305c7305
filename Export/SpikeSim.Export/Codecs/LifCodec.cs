using SpikeSim.Export.Nir;
using SpikeSim.Export.Proto;
using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Export.Codecs;

/// <summary><see cref="Lif"/> as a <c>LIF</c> node.</summary>
public sealed class LifCodec : NeuronCodec<Lif>, INirNeuronCodec
{
    /// <inheritdoc />
    protected override Node.KindOneofCase Kind => Node.KindOneofCase.Lif;

    /// <inheritdoc />
    protected override void Write(Lif m, Node node)
    {
        ResetModes.CheckEitherTiming(nameof(Lif), m.Reset, m.VThreshold, m.VReset, m.RefractoryMs, m.Comparison);
        node.Lif = new LIF
        {
            TauMs = m.TauMs, R = m.R, VLeak = m.VLeak, Spiking = SpikingFields.Write(m.VThreshold, m.VReset, m.RefractoryMs, m.Reset, m.Comparison),
            Integrator = SpikingFields.Write(m.Integrator),
        };
    }

    /// <inheritdoc />
    protected override Lif ReadModel(Node node)
    {
        var (threshold, reset, refractory, mode, comparison) = SpikingFields.Read(node.Lif.Spiking, node.Name);
        return new Lif(node.Lif.TauMs, node.Lif.R, node.Lif.VLeak, threshold, reset, refractory, mode, SpikingFields.Read(node.Lif.Integrator), comparison);
    }

    /// <inheritdoc />
    public string NirType => "LIF";

    /// <summary>r = τ in seconds, so a spike of weight w raises v by w.</summary>
    public NirNode ToNir(INeuronModel model, int n, string population, IDictionary<string, string> metadata)
    {
        var m = (Lif)model;
        NirFields.CheckContinuous(population, m.Integrator);
        NirFields.CheckSpiking(population, m.Reset, m.RefractoryMs, m.Comparison);
        NirFields.KeepR(metadata, population, m.R);
        return NirNode.Of("LIF", ("tau", NirFields.Fill(n, m.TauMs / 1000)), ("r", NirFields.Fill(n, m.TauMs / 1000)), ("v_leak", NirFields.Fill(n, m.VLeak)),
            ("v_threshold", NirFields.Fill(n, m.VThreshold)), ("v_reset", NirFields.Fill(n, m.VReset)));
    }

    /// <inheritdoc />
    public (int Size, INeuronModel Model, double InputScale) FromNir(string name, NirNode node, IReadOnlyDictionary<string, string> metadata)
    {
        var tau = NirFields.Uniform(node, name, "tau");
        return (NirFields.Size(node, "tau"), new Lif(tau * 1000, NirFields.KeptR(metadata, name), NirFields.Uniform(node, name, "v_leak"),
            NirFields.Uniform(node, name, "v_threshold"), NirFields.UniformOr(node, name, "v_reset", 0)), NirFields.Uniform(node, name, "r") / tau);
    }
}
