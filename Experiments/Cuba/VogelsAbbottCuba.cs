using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Random;
using SpikeSim.Simulator.Synapses;

namespace SpikeSim.Experiments.Cuba;

/// <summary>
/// The Vogels–Abbott CUBA benchmark (Brette et al. 2007, benchmark 2), exactly as the Brian2
/// reference script defines it: N current-based LIF neurons, 80 % excitatory, each pair connected
/// with p = 80/N; τ_m 20 ms, τ_e 5 ms, τ_i 10 ms; V_t −50 mV, V_r −60 mV, E_l −49 mV; refractory
/// 5 ms; w_e = +1.62 mV and w_i = −9 mV jumps of the synaptic currents; v0 ~ U(V_r, V_t).
/// </summary>
public static class VogelsAbbottCuba
{
    /// <summary>The reference step, in ms.</summary>
    public const double DtMs = 0.1;

    /// <summary>Excitatory weight, mV (60·0.27/10).</summary>
    public const float WeightExcitatory = 60f * 0.27f / 10f;

    /// <summary>Inhibitory weight, mV (−20·4.5/10).</summary>
    public const float WeightInhibitory = -20f * 4.5f / 10f;

    /// <summary>The neuron model.</summary>
    public static readonly CubaLif Neuron = new(
        TauMemMs: 20, TauSynExcMs: 5, TauSynInhMs: 10, R: 1,
        VLeak: -49, VThreshold: -50, VReset: -60, RefractoryMs: 5);

    /// <summary>
    /// Builds the network of <paramref name="n"/> neurons from <paramref name="seed"/>; with
    /// <paramref name="excitatoryPlasticity"/> every excitatory synapse learns by that rule.
    /// </summary>
    public static (Network Network, Population Neurons) Build(int n, ulong seed, Simulator.Plasticity.IPlasticityRule? excitatoryPlasticity = null)
    {
        if (n < 2) throw new InvalidParameterException($"CUBA needs at least 2 neurons (got --n {n}).");
        // Connection probability 80/N: about 80 synapses per neuron.
        MemoryBudget.Require(MemoryBudget.Simulation(n, 80.0 * n), $"CUBA with {n} neurons (about {80.0 * n:0.##e0} synapses)");
        var rng = new Xoshiro256(seed);
        var network = new Network();
        var neurons = network.AddPopulation("cuba", n, Neuron);
        var v0 = new float[n];
        for (var i = 0; i < n; i++) v0[i] = (float)(Neuron.VReset + rng.NextDouble() * (Neuron.VThreshold - Neuron.VReset));
        neurons.SetInitial(CubaLif.V, v0);
        var excitatory = (int)(0.8 * n);
        var p = Math.Min(1.0, 80.0 / n);
        network.Connect(neurons, neurons,
            Connect.FixedProbability(n, n, p, Connect.Constant(WeightExcitatory), rng, connectedSources: ..excitatory),
            CubaLif.Excitatory, plasticity: excitatoryPlasticity);
        network.Connect(neurons, neurons,
            Connect.FixedProbability(n, n, p, Connect.Constant(WeightInhibitory), rng, connectedSources: excitatory..),
            CubaLif.Inhibitory);
        return (network, neurons);
    }
}
