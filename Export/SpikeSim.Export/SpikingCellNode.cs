using SpikeSim.Export.Proto;
using SpikeSim.Learning.Layers;
using SpikeSim.Simulator.Errors;
using NeuronReset = SpikeSim.Simulator.Neurons.ResetMode;

namespace SpikeSim.Export;

/// <summary>
/// The model-file node of a trainable spiking cell (<see cref="ISpikingCell"/>'s scan: u[t] = β·u[t−1] + h[t] − θ·s[t−1]
/// or reset to zero, s = H(u − θ)): an LIF or ALIF node with its threshold, reset and strict spike test, integrated
/// exactly, input entering as <see cref="InputConvention.EventsAddToState"/>.
/// </summary>
public static class SpikingCellNode
{
    public static Node For(string name, int size, ISpikingCell cell)
    {
        var spiking = new Spiking
        {
            VThreshold = cell.VThreshold,
            VReset = 0,
            Reset = cell.Reset == NeuronReset.ZeroAtNextStep ? ResetMode.ToValue : ResetMode.SubtractNextStep,
            Comparison = SpikeComparison.Greater,
        };
        return cell switch
        {
            AlifCell a => new Node { Name = name, Size = (uint)size, Alif = new ALIF { TauMs = a.TauMemMs, TauAdaptMs = a.TauAdaptMs, Beta = a.AdaptationStrength, R = 1, Spiking = spiking, Integrator = Integrator.ExactExponential } },
            _ => new Node { Name = name, Size = (uint)size, Lif = new LIF { TauMs = cell.TauMemMs, R = 1, Spiking = spiking, Integrator = Integrator.ExactExponential } },
        };
    }

    /// <summary>
    /// The reset of a trained cell from its node: TO_VALUE (to 0) or SUBTRACT_NEXT_STEP, which files before format 1.5
    /// wrote as SUBTRACT (trained layers never subtract at once).
    /// </summary>
    public static NeuronReset ResetOf(Spiking spiking) => spiking.Reset == ResetMode.ToValue ? NeuronReset.ZeroAtNextStep : NeuronReset.SubtractAtNextStep;

    /// <summary>
    /// <paramref name="node"/> as <see cref="For"/> writes it today: a node of a file before format 1.5, whose trained cell
    /// subtracts at the next step under the name SUBTRACT, compared with it as SUBTRACT_NEXT_STEP.
    /// </summary>
    public static Node Current(Node node)
    {
        if ((node.Lif?.Spiking ?? node.Alif?.Spiking) is not { Reset: ResetMode.Subtract }) return node;
        var copy = node.Clone();
        (copy.Lif?.Spiking ?? copy.Alif!.Spiking).Reset = ResetMode.SubtractNextStep;
        return copy;
    }

    /// <summary>
    /// Refuses a node that <see cref="For"/> could not have written: the scan has one time constant, r = 1, v_leak = 0, no
    /// refractory period, reset to 0 or by subtraction, a strict spike test and exact integration; every value is finite,
    /// time constants and the threshold are positive. A reader that ignored these fields would run a different neuron.
    /// </summary>
    public static void Validate(Node node)
    {
        var (tau, r, vLeak, spiking, integrator) = node.KindCase switch
        {
            Node.KindOneofCase.Lif => (node.Lif.TauMs, node.Lif.R, node.Lif.VLeak, node.Lif.Spiking, node.Lif.Integrator),
            Node.KindOneofCase.Alif => (node.Alif.TauMs, node.Alif.R, node.Alif.VLeak, node.Alif.Spiking, node.Alif.Integrator),
            Node.KindOneofCase.Li => (node.Li.TauMs, node.Li.R, node.Li.VLeak, null, node.Li.Integrator),
            _ => throw new SpikeSimException($"Node '{node.Name}' is {node.KindCase}; a trained classifier's neurons are LIF, ALIF or LI."),
        };
        Require(node, "tau_ms", tau, tau > 0 && double.IsFinite(tau), "a positive time");
        Require(node, "r", r, r == 1, "1 (input adds to the state)");
        Require(node, "v_leak", vLeak, vLeak == 0, "0");
        if (integrator != Integrator.ExactExponential)
            throw new SpikeSimException($"Node '{node.Name}' is integrated as {integrator}; a trained classifier's cells are integrated exactly.");
        if (node.KindCase == Node.KindOneofCase.Alif)
        {
            Require(node, "tau_adapt_ms", node.Alif.TauAdaptMs, node.Alif.TauAdaptMs > 0 && double.IsFinite(node.Alif.TauAdaptMs), "a positive time");
            Require(node, "beta", node.Alif.Beta, node.Alif.Beta >= 0 && double.IsFinite(node.Alif.Beta), "finite and not negative");
        }
        if (node.KindCase == Node.KindOneofCase.Li) return;
        if (spiking is null) throw new SpikeSimException($"Node '{node.Name}' has no threshold and reset.");
        Require(node, "v_threshold", spiking.VThreshold, spiking.VThreshold > 0 && double.IsFinite(spiking.VThreshold), "positive and finite");
        Require(node, "v_reset", spiking.VReset, spiking.VReset == 0, "0");
        Require(node, "refractory_ms", spiking.RefractoryMs, spiking.RefractoryMs == 0, "0 (the trained cells have no refractory period)");
        if (spiking.Reset is not (ResetMode.ToValue or ResetMode.Subtract or ResetMode.SubtractNextStep) || spiking.Comparison != SpikeComparison.Greater)
            throw new SpikeSimException($"Node '{node.Name}' resets by {spiking.Reset} and spikes on {spiking.Comparison}; a trained classifier's cells reset to 0 or by subtraction and spike when v > θ.");
    }

    private static void Require(Node node, string field, double value, bool ok, string expected)
    {
        if (!ok) throw new SpikeSimException($"Node '{node.Name}' has {field} = {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}; a trained classifier's cell needs {expected}.");
    }
}
