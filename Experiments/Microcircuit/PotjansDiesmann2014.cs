using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Inputs;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Random;
using SpikeSim.Simulator.Synapses;

namespace SpikeSim.Experiments.Microcircuit;

/// <summary>The background (cortico-cortical) drive of the microcircuit.</summary>
public enum BackgroundInput
{
    /// <summary>Independent Poisson trains of K_ext·8 Hz into every neuron, each event a PSC of the external weight.</summary>
    Poisson,
    /// <summary>The constant current with the same mean: I = ν_bg·K_ext·J_ext·τ_syn.</summary>
    Dc,
}

/// <summary>
/// Potjans and Diesmann's (2014) cortical microcircuit: 77,169 <c>iaf_psc_exp</c> neurons in eight populations of layers
/// 2/3, 4, 5 and 6 and about 0.3·10⁹ synapses, exactly as the PyNEST implementation defines it:
/// INM-6/microcircuit-PD14-model @fd40046e, <c>PyNEST/src/microcircuit/network_params.py</c> (parameters),
/// <c>network.py</c> (<c>__derive_parameters</c>, <c>__connect_neuronal_populations</c>) and <c>helpers.py</c>
/// (synapse numbers, PSP→PSC, DC and scaling compensation); until 2025 the same files were NEST's example
/// <c>pynest/examples/Potjans_2014</c>.
/// <list type="bullet">
/// <item>Neurons (NEST's <c>iaf_psc_exp</c>): C_m 250 pF, τ_m 10 ms, E_L = V_reset = −65 mV, V_th −50 mV (spike when V ≥ V_th),
/// τ_syn 0.5 ms for both receptors, 2 ms refractory; V(0) ~ N(μ_pop, σ_pop) ("optimized" initial conditions).</item>
/// <item>Connections, target i from source j: K_ij = round(ln(1 − p_ij) / ln(1 − 1/(N_i N_j))·s_N·s_K) synapses by
/// <c>fixed_total_number</c> with multapses and autapses; weights N(J_ij, (0.1 J_ij)²) redrawn to keep their sign, with
/// J = 0.15 mV PSP as a PSC (87.8 pA), g = −4 for inhibitory sources and L4E→L2/3E doubled; delays N(d, (d/2)²) redrawn
/// below half a step, d = 1.5 ms excitatory and 0.75 ms inhibitory.</item>
/// <item>Background: Poisson at 8 Hz × K_ext per neuron with the excitatory weight, or the DC current of the same mean.</item>
/// <item>Scaling (van Albada et al. 2015): N × s_N, in-degrees × s_K, weights ÷ √s_K and a DC current that restores each
/// population's mean input at the full model's rates.</item>
/// </list>
/// NEST adds a spike that arrives in step t at the end of that step, where SpikeSim integrates it from the start of its
/// arrival step; every delay therefore gets one step more here, and the two give the same dynamics.
/// </summary>
public static class PotjansDiesmann2014
{
    /// <summary>Population names, in NEST's order.</summary>
    public static readonly string[] Names = ["L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I"];

    /// <summary>Neurons per population at full scale.</summary>
    public static readonly int[] FullNeurons = [20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948];

    /// <summary>Connection probabilities, [target, source].</summary>
    public static readonly double[,] ConnectionProbability =
    {
        { 0.1009, 0.1689, 0.0437, 0.0818, 0.0323, 0.0, 0.0076, 0.0 },
        { 0.1346, 0.1371, 0.0316, 0.0515, 0.0755, 0.0, 0.0042, 0.0 },
        { 0.0077, 0.0059, 0.0497, 0.135, 0.0067, 0.0003, 0.0453, 0.0 },
        { 0.0691, 0.0029, 0.0794, 0.1597, 0.0033, 0.0, 0.1057, 0.0 },
        { 0.1004, 0.0622, 0.0505, 0.0057, 0.0831, 0.3726, 0.0204, 0.0 },
        { 0.0548, 0.0269, 0.0257, 0.0022, 0.06, 0.3158, 0.0086, 0.0 },
        { 0.0156, 0.0066, 0.0211, 0.0166, 0.0572, 0.0197, 0.0396, 0.2252 },
        { 0.0364, 0.001, 0.0034, 0.0005, 0.0277, 0.008, 0.0658, 0.1443 },
    };

    /// <summary>External in-degree per population.</summary>
    public static readonly int[] ExternalInDegree = [1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100];

    /// <summary>
    /// The full model's rates (Hz) as <c>network_params.py</c> gives them (<c>full_mean_rates</c>, one NEST run with
    /// Poisson input, 4 threads, set in 2022); used by the scaling compensation and as the reference of the checks.
    /// </summary>
    public static readonly double[] ReferenceRatesHz = [0.903, 2.965, 4.414, 5.876, 7.569, 8.633, 1.105, 7.829];

    /// <summary>The previous NEST run's rates (12 MPI processes), which the 2022 commit replaced: the spread between two runs.</summary>
    public static readonly double[] EarlierReferenceRatesHz = [0.943, 3.026, 4.368, 5.882, 7.733, 8.664, 1.096, 7.851];

    /// <summary>Mean and sd of the initial membrane potential per population (mV), "optimized" to shorten the initial burst.</summary>
    public static readonly double[] V0MeanMv = [-68.28, -63.16, -63.33, -63.45, -63.11, -61.66, -66.72, -61.43];

    /// <inheritdoc cref="V0MeanMv"/>
    public static readonly double[] V0SdMv = [5.36, 4.57, 4.74, 4.94, 4.94, 4.55, 5.46, 4.48];

    public const double CmPf = 250, TauMemMs = 10, TauSynMs = 0.5, RefractoryMs = 2, ELMv = -65, VThresholdMv = -50, VResetMv = -65;
    public const double PspExcitatoryMv = 0.15, WeightRelativeSd = 0.1, G = -4, BackgroundRateHz = 8;
    public const double DelayExcitatoryMs = 1.5, DelayInhibitoryMs = 0.75, DelayRelativeSd = 0.5;

    /// <summary>The reference resolution (ms).</summary>
    public const double DtMs = 0.1;

    /// <summary>
    /// The neuron: <c>iaf_psc_exp</c> as a <see cref="CubaLif"/> with currents in pA and R = τ_m/C_m (mV/pA), so
    /// τ_m dV/dt = (E_L − V) + R·(I_syn + I_e).
    /// </summary>
    public static readonly CubaLif Neuron = new(
        TauMemMs: TauMemMs, TauSynExcMs: TauSynMs, TauSynInhMs: TauSynMs, R: TauMemMs / CmPf,
        VLeak: ELMv, VThreshold: VThresholdMv, VReset: VResetMv, RefractoryMs: RefractoryMs, Comparison: SpikeComparison.GreaterOrEqual);

    /// <summary>
    /// The PSC amplitude (pA) whose PSP peaks at 1 mV (helpers.py <c>postsynaptic_potential_to_current</c>):
    /// 1 / (τ_m τ_s / (C_m (τ_s − τ_m)) · (f^τ_m − f^τ_s)) with f = (τ_m/τ_s)^(1/(τ_s − τ_m)).
    /// </summary>
    public static double PscOverPsp(double cm = CmPf, double tauM = TauMemMs, double tauS = TauSynMs)
    {
        var sub = 1.0 / (tauS - tauM);
        var pre = tauM * tauS / cm * sub;
        var frac = Math.Pow(tauM / tauS, sub);
        return 1.0 / (pre * (Math.Pow(frac, tauM) - Math.Pow(frac, tauS)));
    }

    /// <summary>Synapses at full scale, [target, source]: ln(1 − p) / ln((N_i N_j − 1)/(N_i N_j)) (not rounded).</summary>
    public static double FullSynapses(int target, int source)
    {
        var product = (double)FullNeurons[target] * FullNeurons[source];
        return Math.Log(1 - ConnectionProbability[target, source]) / Math.Log((product - 1) / product);
    }

    /// <summary>The derived parameters of one scaled model: everything <see cref="Build"/> instantiates.</summary>
    public sealed record Parameters(double Scale, double KScale, BackgroundInput Background, int[] Neurons, long[,] Synapses,
        double[,] WeightPa, double ExternalWeightPa, int[] ExternalInDegree, double[] DcPa)
    {
        /// <summary>All synapses between the populations.</summary>
        public long TotalSynapses => Synapses.Cast<long>().Sum();

        /// <summary>All neurons.</summary>
        public long TotalNeurons => Neurons.Sum(n => (long)n);
    }

    /// <summary>Derives the model at neuron scale <paramref name="scale"/> and in-degree scale <paramref name="kScale"/> (network.py <c>__derive_parameters</c>).</summary>
    public static Parameters Derive(double scale, double kScale, BackgroundInput background)
    {
        if (!(scale > 0 && scale <= 1)) throw new InvalidParameterException($"--scale must lie in (0, 1] (got {scale}).");
        if (!(kScale > 0 && kScale <= 1)) throw new InvalidParameterException($"--k-scale must lie in (0, 1] (got {kScale}).");
        const int n = 8;
        var neurons = FullNeurons.Select(x => (int)Math.Round(x * scale, MidpointRounding.ToEven)).ToArray();
        if (neurons.Any(x => x < 1)) throw new InvalidParameterException($"--scale {scale} leaves a population without neurons.");
        var synapses = new long[n, n];
        var weight = new double[n, n];
        var pscOverPsp = PscOverPsp();
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
            {
                synapses[i, j] = (long)Math.Round(FullSynapses(i, j) * scale * kScale, MidpointRounding.ToEven);
                var psp = (j % 2 == 0 ? 1 : G) * PspExcitatoryMv * (i == 0 && j == 2 ? 2 : 1);
                weight[i, j] = psp * pscOverPsp;
            }
        var external = ExternalInDegree.Select(k => (int)Math.Round(k * kScale, MidpointRounding.ToEven)).ToArray();
        var externalWeight = PspExcitatoryMv * pscOverPsp;
        var dc = new double[n];
        for (var i = 0; i < n; i++)
        {
            if (background == BackgroundInput.Dc) dc[i] = BackgroundRateHz * ExternalInDegree[i] * externalWeight * TauSynMs * 1e-3;
            if (kScale == 1) continue;
            // helpers.py adjust_weights_and_input_to_synapse_scaling: restore the mean input the full model's rates give.
            double recurrent = 0;
            for (var j = 0; j < n; j++) recurrent += weight[i, j] * (FullSynapses(i, j) / FullNeurons[i]) * ReferenceRatesHz[j];
            dc[i] += 1e-3 * TauSynMs * (1 - Math.Sqrt(kScale)) * recurrent;
            if (background == BackgroundInput.Poisson)
                dc[i] += 1e-3 * TauSynMs * (1 - Math.Sqrt(kScale)) * externalWeight * ExternalInDegree[i] * BackgroundRateHz;
        }
        if (kScale != 1)
        {
            for (var i = 0; i < n; i++)
                for (var j = 0; j < n; j++) weight[i, j] /= Math.Sqrt(kScale);
            externalWeight /= Math.Sqrt(kScale);
        }
        return new Parameters(scale, kScale, background, neurons, synapses, weight, externalWeight, external, dc);
    }

    /// <summary>The built network and its eight populations, in <see cref="Names"/>' order.</summary>
    public sealed record Model(Network Network, Population[] Populations, Parameters Parameters);

    /// <summary>
    /// Builds the network description from <paramref name="seed"/>: populations, initial potentials, background and the 64
    /// projections as <see cref="FixedTotalNumberConnectivity"/> rules (the synapses are generated, in parallel, when an engine
    /// instantiates it). Refuses before anything is allocated where the machine has too little memory.
    /// </summary>
    public static Model Build(Parameters p, ulong seed, double dtMs = DtMs)
    {
        Neuron.Discretize(dtMs); // refuses a step longer than τ_syn before any synapse is drawn
        var largest = p.Synapses.Cast<long>().Max();
        MemoryBudget.Require(MemoryBudget.GeneratedSimulation(p.TotalNeurons, p.TotalSynapses, largest),
            $"The microcircuit at scale {p.Scale} (k-scale {p.KScale}: {p.TotalNeurons} neurons, {p.TotalSynapses:0.###e0} synapses)");
        var network = new Network();
        var populations = new Population[Names.Length];
        for (var i = 0; i < Names.Length; i++)
        {
            var population = populations[i] = network.AddPopulation(Names[i], p.Neurons[i], Neuron);
            var v0 = new RedrawnNormal(V0MeanMv[i], V0SdMv[i]);
            var values = new float[population.Size];
            for (var k = 0; k < values.Length; k++) values[k] = (float)v0.Draw(seed, InitialStream + (uint)i, (uint)k);
            population.SetInitial(CubaLif.V, values);
            if (p.Background == BackgroundInput.Poisson)
                network.Inject(new PoissonInput(population, BackgroundRateHz * p.ExternalInDegree[i], (float)p.ExternalWeightPa, CubaLif.Excitatory));
            if (p.DcPa[i] != 0) network.Inject(CurrentInput.Constant(population, (float)p.DcPa[i]));
        }
        for (var i = 0; i < Names.Length; i++)
            for (var j = 0; j < Names.Length; j++)
            {
                if (p.Synapses[i, j] == 0) continue;
                var mean = p.WeightPa[i, j];
                var weight = mean >= 0
                    ? new RedrawnNormal(mean, WeightRelativeSd * mean, 0, double.PositiveInfinity)
                    : new RedrawnNormal(mean, -WeightRelativeSd * mean, double.NegativeInfinity, 0);
                var delay = j % 2 == 0 ? DelayExcitatoryMs : DelayInhibitoryMs;
                // One step more than NEST's delay: see the class summary.
                var delayMs = new RedrawnNormal(delay + dtMs, DelayRelativeSd * delay, 0.5 * dtMs + dtMs, double.PositiveInfinity);
                var rule = new FixedTotalNumberConnectivity(p.Neurons[j], p.Neurons[i], p.Synapses[i, j], weight, delayMs, seed, (uint)(i * Names.Length + j));
                network.Connect(populations[j], populations[i], rule, j % 2 == 0 ? CubaLif.Excitatory : CubaLif.Inhibitory);
            }
        return new Model(network, populations, p);
    }

    /// <summary>Streams of the initial potentials, clear of the 3·64 connectivity streams.</summary>
    private const uint InitialStream = 1000;
}
