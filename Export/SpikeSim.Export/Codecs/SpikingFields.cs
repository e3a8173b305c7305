using SpikeSim.Export.Proto;
using SpikeSim.Simulator.Errors;
using Sim = SpikeSim.Simulator.Neurons;

namespace SpikeSim.Export.Codecs;

/// <summary>The threshold, reset, refractory period, spike test and integrator that several codecs share.</summary>
public static class SpikingFields
{
    /// <summary>The <see cref="Spiking"/> message of a model's values, every reset mode by its name.</summary>
    public static Spiking Write(double threshold, double reset, double refractoryMs, Sim.ResetMode mode, Sim.SpikeComparison comparison) => new()
    {
        VThreshold = threshold, VReset = reset, RefractoryMs = refractoryMs,
        Reset = Write(mode),
        Comparison = comparison == Sim.SpikeComparison.GreaterOrEqual ? SpikeComparison.GreaterOrEqual : SpikeComparison.Greater,
    };

    /// <summary>
    /// The values of <paramref name="spiking"/>, refusing a missing message (the model refuses a mode it does not have,
    /// by name, when it is discretised).
    /// </summary>
    public static (double Threshold, double Reset, double RefractoryMs, Sim.ResetMode Mode, Sim.SpikeComparison Comparison) Read(Spiking? spiking, string node)
    {
        if (spiking is null) throw new SpikeSimException($"Node '{node}' has no threshold, reset and refractory period.");
        return (spiking.VThreshold, spiking.VReset, spiking.RefractoryMs, Read(spiking.Reset),
            spiking.Comparison == SpikeComparison.GreaterOrEqual ? Sim.SpikeComparison.GreaterOrEqual : Sim.SpikeComparison.Greater);
    }

    /// <summary>A reset mode's name in the file.</summary>
    public static ResetMode Write(Sim.ResetMode mode) => mode switch
    {
        Sim.ResetMode.ToValue => ResetMode.ToValue,
        Sim.ResetMode.Subtract => ResetMode.Subtract,
        Sim.ResetMode.SubtractAtNextStep => ResetMode.SubtractNextStep,
        Sim.ResetMode.ZeroAtNextStep => ResetMode.ZeroNextStep,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    /// <summary>The reset mode a simulation node names (UNSPECIFIED is TO_VALUE).</summary>
    public static Sim.ResetMode Read(ResetMode mode) => mode switch
    {
        ResetMode.Subtract => Sim.ResetMode.Subtract,
        ResetMode.SubtractNextStep => Sim.ResetMode.SubtractAtNextStep,
        ResetMode.ZeroNextStep => Sim.ResetMode.ZeroAtNextStep,
        _ => Sim.ResetMode.ToValue,
    };

    /// <summary>The file's integrator.</summary>
    public static Integrator Write(Sim.Integrator integrator) => integrator switch
    {
        Sim.Integrator.ExactExponential => Integrator.ExactExponential,
        Sim.Integrator.ForwardEuler => Integrator.ForwardEuler,
        Sim.Integrator.DiscreteTime => Integrator.DiscreteTime,
        _ => throw new ArgumentOutOfRangeException(nameof(integrator), integrator, null),
    };

    /// <summary>The model's integrator (UNSPECIFIED is exact).</summary>
    public static Sim.Integrator Read(Integrator integrator) => integrator switch
    {
        Integrator.ForwardEuler => Sim.Integrator.ForwardEuler,
        Integrator.DiscreteTime => Sim.Integrator.DiscreteTime,
        _ => Sim.Integrator.ExactExponential,
    };
}
