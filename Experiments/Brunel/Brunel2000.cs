using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Inputs;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Random;
using SpikeSim.Simulator.Synapses;

namespace SpikeSim.Experiments.Brunel;

/// <summary>
/// The sparse random network of Brunel (2000, J. Comput. Neurosci. 8:183): N_E = 10 000 excitatory and
/// N_I = 2 500 inhibitory LIF neurons with delta synapses (τ 20 ms, θ 20 mV, V_r 10 mV, refractory 2 ms);
/// each neuron receives C_E = ε·N_E excitatory inputs of J = 0.1 mV and C_I = ε·N_I inhibitory inputs of
/// −g·J (ε = 0.1, fixed in-degree), all with a 1.5 ms delay, and C_E external Poisson inputs of J at
/// ν_ext = η·ν_thr with ν_thr = θ/(J·C_E·τ), merged into one train of rate C_E·ν_ext per neuron.
/// </summary>
public static class Brunel2000
{
    /// <summary>The four examples of the paper's figure 8.</summary>
    public enum Regime
    {
        /// <summary>Synchronous regular: almost fully synchronised, regular firing at high rates (g 3, η 2).</summary>
        A,
        /// <summary>Synchronous irregular with a fast global oscillation (g 6, η 4).</summary>
        B,
        /// <summary>Asynchronous irregular: stationary global activity (g 5, η 2).</summary>
        C,
        /// <summary>Synchronous irregular with a slow global oscillation (g 4.5, η 0.9).</summary>
        D,
    }

    /// <summary>The (g, η) of a regime.</summary>
    public static (double G, double Eta) Parameters(Regime regime) => regime switch
    {
        Regime.A => (3, 2),
        Regime.B => (6, 4),
        Regime.C => (5, 2),
        Regime.D => (4.5, 0.9),
        _ => throw new ArgumentOutOfRangeException(nameof(regime), regime, null),
    };

    /// <summary>Membrane time constant, ms.</summary>
    public const double TauMs = 20;
    /// <summary>Threshold, mV.</summary>
    public const double Theta = 20;
    /// <summary>Synaptic efficacy J, mV.</summary>
    public const float J = 0.1f;
    /// <summary>Conduction delay, ms.</summary>
    public const double DelayMs = 1.5;

    /// <summary>The neuron model.</summary>
    public static readonly Lif Neuron = new(TauMs: TauMs, R: 1, VLeak: 0, VThreshold: Theta, VReset: 10, RefractoryMs: 2);

    /// <summary>Neurons of the full-size network (scale 1): 10 000 excitatory and 2 500 inhibitory.</summary>
    public const int FullSize = 12_500;

    /// <summary>Builds the network, shrunk by <paramref name="scale"/> (population sizes and in-degrees alike).</summary>
    public static (Network Network, Population Excitatory, Population Inhibitory) Build(double g, double eta, double scale, ulong seed)
    {
        if (!(scale > 0) || double.IsInfinity(scale)) throw new InvalidParameterException($"--n-scale must be positive (got {scale}).");
        if (!(g >= 0) || !(eta >= 0)) throw new InvalidParameterException($"g and eta must not be negative (got g {g}, eta {eta}).");
        var nE = (int)Math.Round(10_000 * scale);
        var nI = (int)Math.Round(2_500 * scale);
        var cE = (int)Math.Round(0.1 * nE);
        var cI = (int)Math.Round(0.1 * nI);
        if (cE < 1 || cI < 1) throw new InvalidParameterException($"--n-scale {scale} leaves no inputs per neuron; use at least 0.004.");
        MemoryBudget.Require(MemoryBudget.Simulation(nE + nI, (double)(nE + nI) * (cE + cI)), $"Brunel's network at --n-scale {scale} ({nE + nI} neurons, {(double)(nE + nI) * (cE + cI):0.##e0} synapses)");
        var rng = new Xoshiro256(seed);
        var network = new Network();
        var excitatory = network.AddPopulation("excitatory", nE, Neuron);
        var inhibitory = network.AddPopulation("inhibitory", nI, Neuron);
        foreach (var p in new[] { excitatory, inhibitory })
            p.SetInitial(Lif.V, Enumerable.Range(0, p.Size).Select(_ => (float)(Theta * rng.NextDouble())).ToArray());
        var inhibitoryWeight = (float)(-g * J);
        foreach (var target in new[] { excitatory, inhibitory })
        {
            network.Connect(excitatory, target, Connect.FixedInDegree(nE, target.Size, cE, Connect.Constant(J), rng, allowAutapses: target != excitatory), delayMs: DelayMs);
            network.Connect(inhibitory, target, Connect.FixedInDegree(nI, target.Size, cI, Connect.Constant(inhibitoryWeight), rng, allowAutapses: target != inhibitory), delayMs: DelayMs);
            network.Inject(new PoissonInput(target, ExternalRateHz(eta, cE), J));
        }
        return (network, excitatory, inhibitory);
    }

    /// <summary>The merged external rate per neuron, C_E·η·ν_thr, in Hz.</summary>
    public static double ExternalRateHz(double eta, int cE) => cE * eta * Theta / (J * cE * TauMs) * 1000;
}
