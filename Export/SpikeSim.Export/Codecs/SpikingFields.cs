using SpikeSim.Export.Proto;
using SpikeSim.Simulator.Errors;
using Sim = SpikeSim.Simulator.Neurons;

namespace SpikeSim.Export.Codecs;

/// <summary>The threshold, reset, refractory period, spike test and integrator that several codecs share.</summary>
public static class SpikingFields
{
    /// <summary>The <see cref="Spiking"/> message of a continuous-time model's values (refusing a reset at the next step, which is not its).</summary>
    public static Spiking Write(double threshold, double reset, double refractoryMs, Sim.ResetMode mode, Sim.SpikeComparison comparison)
    {
        Sim.ResetModes.CheckInStep(mode, "A continuous-time neuron");
        return new()
        {
            VThreshold = threshold, VReset = reset, RefractoryMs = refractoryMs,
            Reset = mode == Sim.ResetMode.Subtract ? ResetMode.Subtract : ResetMode.ToValue,
            Comparison = comparison == Sim.SpikeComparison.GreaterOrEqual ? SpikeComparison.GreaterOrEqual : SpikeComparison.Greater,
        };
    }

    /// <summary>The values of <paramref name="spiking"/>, refusing a missing message and the trained layers' next-step subtraction.</summary>
    public static (double Threshold, double Reset, double RefractoryMs, Sim.ResetMode Mode, Sim.SpikeComparison Comparison) Read(Spiking? spiking, string node)
    {
        if (spiking is null) throw new SpikeSimException($"Node '{node}' has no threshold, reset and refractory period.");
        if (spiking.Reset == ResetMode.SubtractNextStep)
            throw new SpikeSimException($"Node '{node}' resets by SUBTRACT_NEXT_STEP, the timing of trained discrete layers, which the simulation engines' continuous-time models do not have.");
        return (spiking.VThreshold, spiking.VReset, spiking.RefractoryMs,
            spiking.Reset == ResetMode.Subtract ? Sim.ResetMode.Subtract : Sim.ResetMode.ToValue,
            spiking.Comparison == SpikeComparison.GreaterOrEqual ? Sim.SpikeComparison.GreaterOrEqual : Sim.SpikeComparison.Greater);
    }

    /// <summary>The file's integrator (UNSPECIFIED is exact).</summary>
    public static Integrator Write(Sim.Integrator integrator) => integrator == Sim.Integrator.ForwardEuler ? Integrator.ForwardEuler : Integrator.ExactExponential;

    /// <summary>The model's integrator.</summary>
    public static Sim.Integrator Read(Integrator integrator) => integrator == Integrator.ForwardEuler ? Sim.Integrator.ForwardEuler : Sim.Integrator.ExactExponential;
}
