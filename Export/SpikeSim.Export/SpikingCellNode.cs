using SpikeSim.Export.Proto;
using SpikeSim.Learning.Layers;
using SpikeSim.Simulator.Errors;
using NeuronReset = SpikeSim.Simulator.Neurons.ResetMode;

namespace SpikeSim.Export;

/// <summary>
/// The model-file node of a trainable spiking cell: the LIF or ALIF node of the simulator neuron the cell is
/// (<see cref="ISpikingCell.Neuron"/>, written by its codec: discrete time, r = 1, v_leak = 0, its reset at the next step by
/// name, the strict spike test). Files before format 1.10 wrote the same cells integrated "exactly" with the reset to
/// zero as TO_VALUE (and, before 1.5, the subtraction as SUBTRACT); readers take those as the cells they were.
/// </summary>
public static class SpikingCellNode
{
    /// <summary>The node of <paramref name="cell"/>.</summary>
    public static Node For(string name, int size, ISpikingCell cell) => NetworkExporter.Neuron(name, size, cell.Neuron);

    /// <summary>
    /// The reset of a trained cell from its node: ZERO_NEXT_STEP or SUBTRACT_NEXT_STEP, which files before format 1.10 wrote
    /// as TO_VALUE (to 0) and before 1.5 as SUBTRACT (trained layers never reset in the step of the spike).
    /// </summary>
    public static NeuronReset ResetOf(Spiking spiking)
        => spiking.Reset is ResetMode.ToValue or ResetMode.ZeroNextStep or ResetMode.Unspecified ? NeuronReset.ZeroAtNextStep : NeuronReset.SubtractAtNextStep;

    /// <summary>
    /// <paramref name="node"/> as <see cref="For"/> writes it today: a cell's node from a file before format 1.10 (integrated
    /// "exactly", reset to zero as TO_VALUE, or before 1.5 subtracting as SUBTRACT) compared as the discrete-time cell it is.
    /// </summary>
    public static Node Current(Node node)
    {
        if (node.KindCase is not (Node.KindOneofCase.Lif or Node.KindOneofCase.Alif)) return node;
        var copy = node.Clone();
        var spiking = copy.Lif?.Spiking ?? copy.Alif!.Spiking;
        if (copy.Lif is { Integrator: Integrator.ExactExponential or Integrator.Unspecified }) copy.Lif.Integrator = Integrator.DiscreteTime;
        if (copy.Alif is { Integrator: Integrator.ExactExponential or Integrator.Unspecified }) copy.Alif.Integrator = Integrator.DiscreteTime;
        if (spiking is not null) spiking.Reset = ResetOf(spiking) == NeuronReset.ZeroAtNextStep ? ResetMode.ZeroNextStep : ResetMode.SubtractNextStep;
        return copy;
    }

    /// <summary>
    /// Refuses a node that <see cref="For"/> could not have written: the scan has one time constant, r = 1, v_leak = 0, no
    /// refractory period, reset to 0 or by subtraction at the next step, a strict spike test and discrete time; every value is finite,
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
        if (integrator is not (Integrator.DiscreteTime or Integrator.ExactExponential or Integrator.Unspecified))
            throw new SpikeSimException($"Node '{node.Name}' is integrated as {integrator}; a trained classifier's cells are discrete-time (EXACT_EXPONENTIAL in files before 1.10).");
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
        if (spiking.Reset is not (ResetMode.ToValue or ResetMode.Subtract or ResetMode.SubtractNextStep or ResetMode.ZeroNextStep) || spiking.Comparison != SpikeComparison.Greater)
            throw new SpikeSimException($"Node '{node.Name}' resets by {spiking.Reset} and spikes on {spiking.Comparison}; a trained classifier's cells reset to 0 or by subtraction and spike when v > θ.");
    }

    private static void Require(Node node, string field, double value, bool ok, string expected)
    {
        if (!ok) throw new SpikeSimException($"Node '{node.Name}' has {field} = {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}; a trained classifier's cell needs {expected}.");
    }
}
