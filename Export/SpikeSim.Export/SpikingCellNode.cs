using SpikeSim.Export.Proto;
using SpikeSim.Learning.Layers;
using SpikeReset = SpikeSim.Simulator.Neurons.SpikeReset;

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
            Reset = cell.Reset == SpikeReset.ToZero ? ResetMode.ToValue : ResetMode.Subtract,
            Comparison = SpikeComparison.Greater,
        };
        return cell switch
        {
            AlifCell a => new Node { Name = name, Size = (uint)size, Alif = new ALIF { TauMs = a.TauMemMs, TauAdaptMs = a.TauAdaptMs, Beta = a.AdaptationStrength, R = 1, Spiking = spiking, Integrator = Integrator.ExactExponential } },
            _ => new Node { Name = name, Size = (uint)size, Lif = new LIF { TauMs = cell.TauMemMs, R = 1, Spiking = spiking, Integrator = Integrator.ExactExponential } },
        };
    }
}
