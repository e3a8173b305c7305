using SpikeSim.Experiments.Cuba.Tests;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Random;
using SpikeSim.Simulator.Recording;
using SpikeSim.Simulator.Synapses;
using Xunit;

namespace SpikeSim.Experiments.Microcircuit.Tests;

/// <summary>
/// The microcircuit is the PyNEST model: its derived parameters are NEST's numbers, its neuron turns the PSC into the
/// 0.15 mV PSP the model is defined by, its connectivity is the same for any thread count and has the drawn statistics,
/// and its activity matches Brian2 running the same model.
/// </summary>
public sealed class MicrocircuitTests
{
    [Fact]
    public void The_excitatory_weight_is_NESTs_87_8_pA_and_its_PSP_peaks_at_0_15_mV()
    {
        var weight = PotjansDiesmann2014.PspExcitatoryMv * PotjansDiesmann2014.PscOverPsp();
        Assert.Equal(87.81, weight, 2); // the figure the PyNEST example prints and the issue quotes

        // One neuron at rest receives one PSC of that amplitude: its membrane must peak 0.15 mV above rest.
        var network = new Network();
        var neuron = network.AddPopulation("n", 1, PotjansDiesmann2014.Neuron with { RefractoryMs = 0 });
        var source = network.AddPopulation("s", 1, new SpikeTimeSource([(0, 1.0)]));
        network.Connect(source, neuron, new DenseConnectivity(1, 1, [(float)weight]), CubaLif.Excitatory, delayMs: 0.1);
        using var simulation = new TimeStepSimulation(network, new HostBackend(1), new TimeStepOptions(0.01));
        var peak = double.NegativeInfinity;
        for (var step = 0; step < 3000; step++)
        {
            simulation.RunSteps(1);
            peak = Math.Max(peak, simulation.Group(neuron).State(CubaLif.V).ToArray()[0]);
        }
        Assert.Equal(PotjansDiesmann2014.PspExcitatoryMv, peak - PotjansDiesmann2014.ELMv, 3);
    }

    [Fact]
    public void Derived_parameters_are_the_PyNEST_models()
    {
        var full = PotjansDiesmann2014.Derive(1, 1, BackgroundInput.Poisson);
        Assert.Equal(77169, full.TotalNeurons);
        // ln(1 − p)/ln(1 − 1/(N_i N_j)) for L2/3E → L2/3E: p = 0.1009, N = 20683.
        Assert.Equal((long)Math.Round(Math.Log(1 - 0.1009) / Math.Log(1 - 1.0 / (20683.0 * 20683))), full.Synapses[0, 0]);
        Assert.InRange(full.TotalSynapses, 2.9e8, 3.0e8);
        Assert.Equal(2 * full.WeightPa[1, 0], full.WeightPa[0, 2], 9); // L4E → L2/3E doubled
        Assert.Equal(-4 * full.WeightPa[0, 0], full.WeightPa[0, 1], 9); // g = −4
        Assert.All(full.DcPa, dc => Assert.Equal(0, dc));

        // DC background: ν_bg·K_ext·J·τ_syn, e.g. 8 Hz × 1600 × 87.81 pA × 0.5 ms for L2/3E.
        var dc = PotjansDiesmann2014.Derive(1, 1, BackgroundInput.Dc);
        Assert.Equal(8 * 1600 * full.ExternalWeightPa * 0.5e-3, dc.DcPa[0], 6);

        // Scaled in-degrees: weights × 1/√K, and the compensating DC of helpers.py.
        var scaled = PotjansDiesmann2014.Derive(0.1, 0.1, BackgroundInput.Poisson);
        Assert.Equal(full.WeightPa[3, 5] / Math.Sqrt(0.1), scaled.WeightPa[3, 5], 9);
        Assert.Equal(160, scaled.ExternalInDegree[0]);
        double recurrent = 0;
        for (var j = 0; j < 8; j++)
            recurrent += full.WeightPa[0, j] * PotjansDiesmann2014.FullSynapses(0, j) / 20683 * PotjansDiesmann2014.ReferenceRatesHz[j];
        var expected = 1e-3 * 0.5 * (1 - Math.Sqrt(0.1)) * (recurrent + full.ExternalWeightPa * 1600 * 8);
        Assert.Equal(expected, scaled.DcPa[0], 6);
    }

    [Fact]
    public void Generated_connectivity_is_the_same_for_any_thread_count_and_has_the_drawn_statistics()
    {
        var rule = new FixedTotalNumberConnectivity(3000, 2000, 2_500_000, new RedrawnNormal(87.8, 8.78, 0, double.PositiveInfinity),
            new RedrawnNormal(1.6, 0.75, 0.15, double.PositiveInfinity), Seed: 5, Stream: 17);
        rule.Validate();
        var one = rule.Generate(1);
        var two = rule.Generate(2);
        Assert.Equal(one.RowStart, two.RowStart);
        Assert.Equal(one.TargetIndex, two.TargetIndex);
        Assert.Equal(one.Weights, two.Weights);
        Assert.Equal(one.DelaysMs, two.DelaysMs);
        // The definition, written plainly (the rule writes each chunk sorted by source, in runs): synapse k draws its pair
        // from counter k of stream 3·Stream and its weight and delay from counter k of the next two; rows keep k order.
        var cursor = one.RowStart[..^1];
        var (target, weight, delay) = (new int[2_500_000], new float[2_500_000], new float[2_500_000]);
        for (var k = 0u; k < 2_500_000; k++)
        {
            var h = CounterRng.Hash(5, 3 * 17, k);
            var i = cursor[CounterRng.Below((uint)(h >> 32), 3000)]++;
            target[i] = CounterRng.Below((uint)h, 2000);
            weight[i] = (float)rule.Weight.Draw(5, 3 * 17 + 1, k);
            delay[i] = (float)rule.DelayMs.Draw(5, 3 * 17 + 2, k);
        }
        Assert.Equal(one.RowStart[1..], cursor);
        Assert.Equal(target, one.TargetIndex);
        Assert.Equal(weight, one.Weights);
        Assert.Equal(delay, one.DelaysMs);
        one.Validate();
        Assert.Equal(2_500_000, one.SynapseCount);
        Assert.Equal(one.OutDegrees(), rule.OutDegrees());

        // Out-degrees are binomial(2.5e6, 1/3000): mean 833.3, sd 28.9.
        var degrees = Enumerable.Range(0, 3000).Select(i => (double)(one.RowStart[i + 1] - one.RowStart[i])).ToArray();
        Assert.InRange(Sd(degrees), 27, 31);
        Assert.InRange(one.Weights.Average(w => (double)w), 87.7, 87.9);
        Assert.InRange(Sd(one.Weights.Select(w => (double)w).ToArray()), 8.7, 8.86);
        Assert.True(one.DelaysMs!.Min() >= 0.15f);
        // The mean of N(1.6, 0.75²) truncated below 0.15: μ + σ φ(a)/(1 − Φ(a)), a = −1.933 → 1.6 + 0.75 × 0.0632 = 1.647.
        Assert.InRange(one.DelaysMs!.Average(d => (double)d), 1.645, 1.652);
        // Multapses are allowed, as in NEST: 2.5 M draws over 6 M pairs repeat some.
        var pairs = new HashSet<long>();
        for (var s = 0; s < 3000; s++)
            for (var k = one.RowStart[s]; k < one.RowStart[s + 1]; k++) pairs.Add((long)s * 2000 + one.TargetIndex[k]);
        Assert.InRange(pairs.Count, 2_500_000 * 0.78, 2_500_000 * 0.83); // 6e6·(1 − e^(−0.4167)) = 2.047e6

        static double Sd(double[] x)
        {
            var mean = x.Average();
            return Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / x.Length);
        }
    }

    [Fact]
    public void A_redrawn_normal_stays_in_its_bounds_and_refuses_an_interval_it_cannot_reach()
    {
        var d = new RedrawnNormal(0.75, 0.375, 0.05, double.PositiveInfinity);
        d.Validate("delay");
        for (uint k = 0; k < 10_000; k++) Assert.True(d.Draw(1, 3, k) >= 0.05);
        Assert.Equal(2.5, RedrawnNormal.Constant(2.5).Draw(1, 2, 3));
        Assert.Throws<Simulator.Errors.InvalidParameterException>(() => new RedrawnNormal(0, 1, 10, 11).Validate("weight"));
    }

    [Fact]
    public void The_microcircuit_gives_the_same_spikes_on_one_and_two_threads()
    {
        var parameters = PotjansDiesmann2014.Derive(0.02, 0.1, BackgroundInput.Poisson);
        int[] Spikes(int threads)
        {
            var model = PotjansDiesmann2014.Build(parameters, seed: 4);
            using var backend = new HostBackend(threads);
            using var simulation = new TimeStepSimulation(model.Network, backend, new TimeStepOptions(0.1, Seed: 4));
            var recorders = model.Populations.Select(p => simulation.Observe(new SpikeRecorder(p))).ToArray();
            simulation.RunSteps(2000);
            return [.. recorders.SelectMany(r => r.Neurons.ToArray().Zip(r.SpikeSteps.ToArray(), (n, s) => s * 100_000 + n))];
        }
        var one = Spikes(1);
        Assert.True(one.Length > 200, $"{one.Length} spikes");
        Assert.Equal(one, Spikes(2));
    }

    [Brian2Fact]
    public void At_scale_0_1_its_population_rates_match_Brian2_running_the_same_model()
    {
        var parameters = PotjansDiesmann2014.Derive(0.1, 0.1, BackgroundInput.Poisson);
        var model = PotjansDiesmann2014.Build(parameters, seed: 2);
        using var simulation = new TimeStepSimulation(model.Network, new HostBackend(), new TimeStepOptions(0.1, Seed: 2));
        var recorders = model.Populations.Select(p => simulation.Observe(new SpikeRecorder(p))).ToArray();
        simulation.RunSteps(10_000);
        var brian = Cuba.Brian2Reference.RunScript("microcircuit_brian2.py",
            ["--threads", "2", "--scale", "0.1", "--k-scale", "0.1", "--duration-ms", "1000", "--transient-ms", "100", "--seed", "2"]).GetProperty("rates_hz");
        for (var i = 0; i < 8; i++)
        {
            var late = recorders[i].SpikeSteps.ToArray().Count(s => s >= 1000);
            var rate = late / (model.Populations[i].Size * 0.9);
            var reference = brian.GetProperty(PotjansDiesmann2014.Names[i]).GetDouble();
            // Two random realisations of a 7,717-neuron network: population rates differ by a few per cent.
            Assert.True(Math.Abs(rate - reference) <= 0.15 * reference + 0.1,
                $"{PotjansDiesmann2014.Names[i]}: SpikeSim {rate:0.###} Hz, Brian2 {reference:0.###} Hz");
        }
    }
}
