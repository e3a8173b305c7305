using SpikeSim.Export.Nir;
using SpikeSim.Export.Proto;
using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Export.Codecs;

/// <summary><see cref="CubaLif"/> as a <c>CubaLIF</c> node (two synaptic time constants, channels 0 and 1).</summary>
public sealed class CubaLifCodec : NeuronCodec<CubaLif>, INirNeuronCodec
{
    /// <inheritdoc />
    protected override Node.KindOneofCase Kind => Node.KindOneofCase.CubaLif;

    /// <inheritdoc />
    protected override void Write(CubaLif m, Node node)
    {
        ResetModes.CheckEitherTiming(nameof(CubaLif), m.Reset, m.VThreshold, m.VReset, m.RefractoryMs, m.Comparison);
        node.CubaLif = new CubaLIF
        {
            TauMemMs = m.TauMemMs, TauSynExcMs = m.TauSynExcMs, TauSynInhMs = m.TauSynInhMs, R = m.R, VLeak = m.VLeak,
            Spiking = SpikingFields.Write(m.VThreshold, m.VReset, m.RefractoryMs, m.Reset, m.Comparison), Integrator = SpikingFields.Write(m.Integrator),
        };
    }

    /// <inheritdoc />
    protected override CubaLif ReadModel(Node node)
    {
        var c = node.CubaLif;
        var (threshold, reset, refractory, mode, comparison) = SpikingFields.Read(c.Spiking, node.Name);
        return new CubaLif(c.TauMemMs, c.TauSynExcMs, c.TauSynInhMs, c.R, c.VLeak, threshold, reset, refractory, mode, SpikingFields.Read(c.Integrator), comparison);
    }

    /// <inheritdoc />
    public string NirType => "CubaLIF";

    /// <summary>w_in = τ_syn in seconds, so a spike of weight w raises the current by w; NIR's CubaLIF has one τ_syn.</summary>
    public NirNode ToNir(INeuronModel model, int n, string population, IDictionary<string, string> metadata)
    {
        var m = (CubaLif)model;
        NirFields.CheckContinuous(population, m.Integrator);
        NirFields.CheckSpiking(population, m.Reset, m.RefractoryMs, m.Comparison);
        if (m.TauSynExcMs != m.TauSynInhMs)
            throw new Simulator.Errors.SpikeSimException($"Population '{population}' has separate excitatory and inhibitory synaptic time constants ({m.TauSynExcMs} and {m.TauSynInhMs} ms); NIR's CubaLIF has one.");
        return NirNode.Of("CubaLIF", ("tau_mem", NirFields.Fill(n, m.TauMemMs / 1000)), ("tau_syn", NirFields.Fill(n, m.TauSynExcMs / 1000)), ("r", NirFields.Fill(n, m.R)),
            ("v_leak", NirFields.Fill(n, m.VLeak)), ("v_threshold", NirFields.Fill(n, m.VThreshold)), ("v_reset", NirFields.Fill(n, m.VReset)), ("w_in", NirFields.Fill(n, m.TauSynExcMs / 1000)));
    }

    /// <inheritdoc />
    public (int Size, INeuronModel Model, double InputScale) FromNir(string name, NirNode node, IReadOnlyDictionary<string, string> metadata)
    {
        var tauSyn = NirFields.Uniform(node, name, "tau_syn");
        var model = new CubaLif(NirFields.Uniform(node, name, "tau_mem") * 1000, tauSyn * 1000, tauSyn * 1000, NirFields.Uniform(node, name, "r"),
            NirFields.Uniform(node, name, "v_leak"), NirFields.Uniform(node, name, "v_threshold"), NirFields.UniformOr(node, name, "v_reset", 0));
        return (NirFields.Size(node, "tau_mem"), model, NirFields.Uniform(node, name, "w_in") / tauSyn);
    }
}
