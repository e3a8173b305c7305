using SpikeSim.Export.Nir;
using SpikeSim.Export.Proto;
using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Export.Codecs;

/// <summary><see cref="IntegrateAndFire"/> as an <c>IF</c> node.</summary>
public sealed class IntegrateAndFireCodec : NeuronCodec<IntegrateAndFire>, INirNeuronCodec
{
    /// <inheritdoc />
    protected override Node.KindOneofCase Kind => Node.KindOneofCase.If;

    /// <inheritdoc />
    protected override void Write(IntegrateAndFire m, Node node)
    {
        ResetModes.CheckInStep(m.Reset, nameof(IntegrateAndFire));
        node.If = new IF { R = m.R, Spiking = SpikingFields.Write(m.VThreshold, m.VReset, m.RefractoryMs, m.Reset, m.Comparison) };
    }

    /// <inheritdoc />
    protected override IntegrateAndFire ReadModel(Node node)
    {
        var (threshold, reset, refractory, mode, comparison) = SpikingFields.Read(node.If.Spiking, node.Name);
        return new IntegrateAndFire(node.If.R, threshold, reset, refractory, mode, comparison);
    }

    /// <inheritdoc />
    public string NirType => "IF";

    /// <summary>r = 1, so a spike of weight w raises v by w.</summary>
    public NirNode ToNir(INeuronModel model, int n, string population, IDictionary<string, string> metadata)
    {
        var m = (IntegrateAndFire)model;
        NirFields.CheckSpiking(population, m.Reset, m.RefractoryMs, m.Comparison);
        NirFields.KeepR(metadata, population, m.R);
        return NirNode.Of("IF", ("r", NirFields.Fill(n, 1)), ("v_threshold", NirFields.Fill(n, m.VThreshold)), ("v_reset", NirFields.Fill(n, m.VReset)));
    }

    /// <inheritdoc />
    public (int Size, INeuronModel Model, double InputScale) FromNir(string name, NirNode node, IReadOnlyDictionary<string, string> metadata)
        => (NirFields.Size(node, "r"), new IntegrateAndFire(NirFields.KeptR(metadata, name), NirFields.Uniform(node, name, "v_threshold"),
            NirFields.UniformOr(node, name, "v_reset", 0)), NirFields.Uniform(node, name, "r"));
}
