using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Inputs;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Recording;
using SpikeSim.Tests.Support;
using Xunit;

namespace SpikeSim.Tests.Engines;

/// <summary>Poisson and spike-time sources, currents with waveforms, and the recorders' bounds.</summary>
public sealed class InputsAndRecordersTests
{
    [Fact]
    public void Poisson_source_fires_at_its_rate()
    {
        var network = new Network();
        var source = network.AddPopulation("p", 1000, new PoissonSource(40));
        var (_, spikes) = Probe.Run(network, source, null, 10_000, 0.1);
        var expected = 1000 * 40.0; // neurons × rate × 1 s
        Assert.InRange(spikes.Total, expected - 5 * Math.Sqrt(expected), expected + 5 * Math.Sqrt(expected));
        Assert.Equal(40, spikes.MeanRateHz, 0);
    }

    [Fact]
    public void Poisson_sources_depend_on_the_seed_only()
    {
        int[] Run(ulong seed)
        {
            var network = new Network();
            var source = network.AddPopulation("p", 50, new PoissonSource(100));
            using var simulation = new TimeStepSimulation(network, Probe.Host.Value, new TimeStepOptions(Seed: seed));
            var spikes = simulation.Observe(new SpikeRecorder(source));
            simulation.RunSteps(1000);
            return spikes.Neurons.ToArray();
        }
        Assert.Equal(Run(3), Run(3));
        Assert.NotEqual(Run(3), Run(4));
    }

    [Theory]
    [InlineData(40_000.0)]
    [InlineData(900.0)]
    public void Poisson_input_adds_Poisson_distributed_counts_each_step(double rateHz)
    {
        // A neuron that never leaks integrates every event: after one step v = k·w with k ~ Poisson(rate·dt).
        var network = new Network();
        var neurons = network.AddPopulation("li", 50_000, new LeakyIntegrator(TauMs: 1e9, Integrator: Integrator.ForwardEuler));
        network.Inject(new PoissonInput(neurons, rateHz, 0.5f));
        var (trace, _) = Probe.Run(network, neurons, LeakyIntegrator.V, 1, 0.1);
        var counts = trace[0].Select(v => v / 0.5).ToArray();
        var lambda = rateHz * 1e-4;
        Assert.All(counts, c => Assert.Equal(Math.Round(c), c, 4));
        var mean = counts.Average();
        var variance = counts.Select(c => (c - mean) * (c - mean)).Sum() / (counts.Length - 1);
        Assert.InRange(mean, lambda - 5 * Math.Sqrt(lambda / counts.Length), lambda + 5 * Math.Sqrt(lambda / counts.Length));
        Assert.InRange(variance / lambda, 0.95, 1.05); // Poisson: variance equals mean
        var zeros = counts.Count(c => c == 0) / (double)counts.Length;
        Assert.InRange(zeros, Math.Exp(-lambda) - 0.01, Math.Exp(-lambda) + 0.01);
    }

    [Fact]
    public void Noise_current_is_uniform_between_its_bounds_and_fresh_every_step()
    {
        // An IF neuron integrates R·I·dt: after one step of 1 ms its v is the current it was given.
        var network = new Network();
        var neurons = network.AddPopulation("if", 40_000, new IntegrateAndFire(R: 1, VThreshold: 1e9, VReset: 0));
        network.Inject(new NoiseCurrentInput(neurons, -6.5f, 6.5f));
        var (trace, _) = Probe.Run(network, neurons, IntegrateAndFire.V, 2, 1.0);
        var first = trace[0].Select(x => (double)x).ToArray();
        var second = trace[1].Select((x, i) => x - (double)trace[0][i]).ToArray();
        foreach (var sample in new[] { first, second })
        {
            Assert.All(sample, x => Assert.InRange(x, -6.5, 6.5));
            Assert.InRange(sample.Average(), -0.05, 0.05);
            Assert.InRange(sample.Select(x => x * x).Average(), 13.0 * 13 / 12 * 0.97, 13.0 * 13 / 12 * 1.03);
        }
        var correlation = first.Zip(second, (a, b) => a * b).Average() / (13.0 * 13 / 12);
        Assert.InRange(correlation, -0.03, 0.03);
    }

    [Fact]
    public void Spike_time_source_emits_in_the_nearest_step()
    {
        var network = new Network();
        var source = network.AddPopulation("t", 3, new SpikeTimeSource([(2, 0.04), (0, 0.05), (1, 1.26), (0, 3.0)]));
        var (_, spikes) = Probe.Run(network, source, null, 40, 0.1);
        var events = Enumerable.Range(0, spikes.Count).Select(k => (spikes.SpikeSteps[k], spikes.Neurons[k])).ToArray();
        Assert.Equal([(0, 2), (1, 0), (13, 1), (30, 0)], events);
    }

    [Fact]
    public void A_current_waveform_drives_the_membrane_step_by_step()
    {
        var network = new Network();
        var neurons = network.AddPopulation("li", 2, new LeakyIntegrator(TauMs: 1e6, Integrator: Integrator.ForwardEuler));
        network.Inject(new CurrentInput(neurons, [1f, 2f], [0f, 10f, 10f, -5f]));
        network.Inject(CurrentInput.Constant(neurons, 1f));
        var (trace, _) = Probe.Run(network, neurons, LeakyIntegrator.V, 6, 0.1);
        // v grows by R·I·dt/τ per step with I = constant 1 + amplitude·waveform[step] (held after its end).
        var gain = 0.1 / 1e6;
        double[] drive0 = [1, 11, 11, -4, -4, -4], drive1 = [1, 21, 21, -9, -9, -9];
        double v0 = 0, v1 = 0;
        for (var k = 0; k < 6; k++)
        {
            v0 += drive0[k] * gain;
            v1 += drive1[k] * gain;
            Assert.Equal(v0, trace[k][0], 9);
            Assert.Equal(v1, trace[k][1], 9);
        }
    }

    [Fact]
    public void Spike_recorder_stops_at_its_capacity_and_says_so()
    {
        var network = new Network();
        var source = network.AddPopulation("p", 100, new PoissonSource(500));
        using var simulation = new TimeStepSimulation(network, Probe.Host.Value, new TimeStepOptions());
        var spikes = simulation.Observe(new SpikeRecorder(source, capacity: 1000));
        simulation.RunSteps(1000);
        Assert.Equal(1000, spikes.Count);
        Assert.True(spikes.Total > 4000);
        Assert.Contains("kept the first 1000", spikes.Warning);
        Assert.InRange(spikes.MeanRateHz, 450, 550);
    }

    [Fact]
    public void Mean_rate_stays_right_past_two_billion_neuron_steps()
    {
        var network = new Network();
        var population = network.AddPopulation("big", 100_000, new PoissonSource(0));
        var recorder = new SpikeRecorder(population, capacity: 0);
        var view = new SilentStepView(population);
        for (var step = 0; step < 30_000; step++) recorder.OnStep(view.At(step, firing: step % 100 == 0 ? 1000 : 0));
        // 300 steps with 1000 spikes each over 100 000 neurons × 3 s
        Assert.Equal(300 * 1000 / (100_000 * 3.0), recorder.MeanRateHz, 9);
    }

    private sealed class SilentStepView(Population population) : IStepView
    {
        private readonly int[] _spikes = Enumerable.Range(0, population.Size).ToArray();
        private int _firing;

        public int Step { get; private set; }
        public double DtMs => 0.1;

        public SilentStepView At(int step, int firing)
        {
            Step = step;
            _firing = firing;
            return this;
        }

        public ReadOnlySpan<int> Spikes(Population p) => _spikes.AsSpan(0, _firing);

        public void ReadState(Population p, StateVariable variable, ReadOnlySpan<int> neurons, Span<float> destination) { }
    }

    [Fact]
    public void Rate_recorder_bins_the_population_rate()
    {
        var network = new Network();
        var source = network.AddPopulation("p", 2000, new PoissonSource(25));
        using var simulation = new TimeStepSimulation(network, Probe.Host.Value, new TimeStepOptions());
        var rate = simulation.Observe(new RateRecorder(source, binSteps: 100));
        simulation.RunSteps(5050);
        Assert.Equal(50, rate.RatesHz.Length);
        Assert.InRange(rate.RatesHz.Average(), 24, 26);
    }

    [Fact]
    public void State_recorder_samples_every_k_steps_and_is_bounded()
    {
        var (network, population) = Probe.Single(new Lif(TauMs: 10, VThreshold: 100), 1f, size: 4);
        using var simulation = new TimeStepSimulation(network, Probe.Host.Value, new TimeStepOptions());
        var state = simulation.Observe(new StateRecorder(population, Lif.V, [1, 3], everySteps: 10, capacity: 20));
        simulation.RunSteps(200);
        Assert.Equal(10, state.Samples.Count);
        Assert.NotNull(state.Warning);
        Assert.Equal(1 - Math.Exp(-0.1 / 10), state.Samples[0][1], 5);
    }

    [Fact]
    public void The_same_network_and_seed_give_the_same_spikes_run_after_run()
    {
        int[] Run()
        {
            var network = EveryKindNetwork.Build(11);
            using var simulation = new TimeStepSimulation(network, Probe.Host.Value, new TimeStepOptions(Seed: 11));
            var spikes = simulation.Observe(new SpikeRecorder(network.Populations.Single(p => p.Name == "lif")));
            simulation.RunSteps(500);
            return spikes.Neurons.ToArray().Zip(spikes.SpikeSteps.ToArray(), (n, s) => s * 1000 + n).ToArray();
        }
        var first = Run();
        Assert.NotEmpty(first);
        Assert.Equal(first, Run());
    }
}
