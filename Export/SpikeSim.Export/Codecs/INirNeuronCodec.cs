using System.Globalization;
using SpikeSim.Export.Nir;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Export.Codecs;

/// <summary>
/// A neuron codec whose model NIR can hold: how a population becomes a NIR neuron node and back, with spikes as Dirac
/// impulses (<see cref="SimulationNir"/>). A spike of weight w raises a LIF's or LI's v by r·w/τ, an IF's by r·w and a
/// CubaLIF's current by w_in·w/τ_syn; SpikeSim's events add w, so a codec writes r (or w_in) so that the factor is 1 and,
/// on reading any file, returns the factor by which incoming weights are scaled.
/// </summary>
public interface INirNeuronCodec
{
    /// <summary>NIR's type name of the node ("LIF").</summary>
    string NirType { get; }

    /// <summary>The node of <paramref name="size"/> neurons of <paramref name="model"/>; refuses, naming <paramref name="population"/>, what NIR cannot hold.</summary>
    NirNode ToNir(INeuronModel model, int size, string population, IDictionary<string, string> metadata);

    /// <summary>The population a node describes: its size, model and the factor its incoming weights are scaled by.</summary>
    (int Size, INeuronModel Model, double InputScale) FromNir(string name, NirNode node, IReadOnlyDictionary<string, string> metadata);
}

/// <summary>Values shared by the NIR codecs: uniform fields, SpikeSim's own r kept in the metadata, the spike rules NIR has.</summary>
public static class NirFields
{
    /// <summary>A float32 vector of <paramref name="n"/> copies of <paramref name="value"/>.</summary>
    public static NirArray Fill(int n, double value) => NirArray.F32(Enumerable.Repeat((float)value, n).ToArray());

    /// <summary>The one value of a per-neuron field whose values are all equal, as the shortest decimal that rounds to it.</summary>
    public static double Uniform(NirNode node, string name, string field)
    {
        var values = (node.Fields.GetValueOrDefault(field) ?? throw new SpikeSimException($"Node '{name}' ({node.Type}) has no field '{field}'.")).Floats
                     ?? throw new SpikeSimException($"Node '{name}' field '{field}' must be float.");
        if (values.Length == 0 || values.Any(v => v != values[0]))
            throw new SpikeSimException($"Node '{name}' has per-neuron values of '{field}'; SpikeSim's populations and layers share one value.");
        // 0.02f reads back as 0.02, not 0.0199999996.
        return double.Parse(values[0].ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    /// <summary>A field's value, or <paramref name="fallback"/> where the node has no such field.</summary>
    public static double UniformOr(NirNode node, string name, string field, double fallback) => node.Fields.ContainsKey(field) ? Uniform(node, name, field) : fallback;

    /// <summary>The number of neurons of a node, from <paramref name="field"/>'s length.</summary>
    public static int Size(NirNode node, string field) => node.Fields[field].Floats!.Length;

    /// <summary>SpikeSim's R of a population (it scales injected currents only, which NIR's files do not carry), kept in the metadata.</summary>
    public static void KeepR(IDictionary<string, string> metadata, string population, double r)
        => metadata[$"spikesim.{population}.r"] = r.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The R <see cref="KeepR"/> kept, or 1.</summary>
    public static double KeptR(IReadOnlyDictionary<string, string> metadata, string population)
        => metadata.TryGetValue($"spikesim.{population}.r", out var t) && double.TryParse(t, CultureInfo.InvariantCulture, out var v) ? v : 1;

    /// <summary>
    /// Refuses a discrete-time model (<see cref="Integrator.DiscreteTime"/>): NIR's neurons are continuous-time equations, and
    /// a discrete-time map written as one would run differently in every consumer (a trained network's NIR is written from
    /// its training checkpoint, with the discretisation it was trained with).
    /// </summary>
    public static void CheckContinuous(string name, Integrator integrator)
    {
        if (integrator == Integrator.DiscreteTime)
            throw new SpikeSimException($"Population '{name}' is a discrete-time neuron (Integrator.DiscreteTime); NIR's neurons are continuous-time, so SpikeSim does not write it as one.");
    }

    /// <summary>Refuses what NIR's spiking neurons lack: a subtractive reset, a refractory period, a ≥ spike test.</summary>
    public static void CheckSpiking(string name, ResetMode reset, double refractoryMs, SpikeComparison comparison)
    {
        if (reset != ResetMode.ToValue) throw new SpikeSimException($"Population '{name}' resets by {reset}; NIR's neurons reset to v_reset in the step of the spike.");
        if (refractoryMs > 0) throw new SpikeSimException($"Population '{name}' has a refractory period; NIR has none.");
        if (comparison != SpikeComparison.Greater) throw new SpikeSimException($"Population '{name}' spikes at v ≥ θ; SpikeSim writes NIR for v > θ only.");
    }
}
