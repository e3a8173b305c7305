using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Convolution;
using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Recording;
using SpikeSim.Simulator.Synapses;
using SpikeSim.Tests.Support;
using Xunit;

namespace SpikeSim.Tests.Compute;

/// <summary>
/// The GPU path computes what the CPU path computes: the same network run through ILGPU's CPU
/// accelerator (which runs each kernel's <c>Execute</c> as GPU threads, atomics included) and
/// through the host launcher (vectorised range methods, several threads) gives identical spikes
/// and identical state, bit for bit.
/// </summary>
public sealed class BackendEquivalenceTests
{
    private const int Steps = 300;

    private static (int[][] Spikes, float[][] State) Run(IComputeBackend backend, PropagationMode mode, ulong seed = 7)
    {
        var network = EveryKindNetwork.Build(seed);
        using var simulation = new TimeStepSimulation(network, backend, new TimeStepOptions(0.1, mode, Seed: seed));
        var recorders = network.Populations.Select(p => simulation.Observe(new SpikeRecorder(p))).ToArray();
        simulation.RunSteps(Steps);
        var spikes = recorders.Select(r => r.Neurons.ToArray().Zip(r.SpikeSteps.ToArray(), (n, s) => s * 1000 + n).ToArray()).ToArray();
        var state = network.Populations.SelectMany(p => p.Model.StateVariables.Select(v => simulation.Group(p).State(v).ToArray()))
            .Concat(network.Projections.Where(p => p.Plasticity is not null).Select(simulation.Weights)).ToArray();
        return (spikes, state);
    }

    [Theory]
    [InlineData(PropagationMode.Auto)]
    [InlineData(PropagationMode.Dense)]
    [InlineData(PropagationMode.SpikeDriven)]
    public void Ilgpu_cpu_accelerator_and_host_launcher_agree_bit_for_bit(PropagationMode mode)
    {
        using var emulator = IlgpuBackend.TryCreate(DeviceKind.IlgpuCpuEmulator)!;
        using var host = new HostBackend(threads: 2);
        var (gpuSpikes, gpuState) = Run(emulator, mode);
        var (cpuSpikes, cpuState) = Run(host, mode);
        Assert.True(cpuSpikes.Sum(s => s.Length) > 500, "the network should be active enough to test something");
        Assert.Contains(cpuState[^1], w => w != 0.25f); // the plastic weights (the last two) have learned
        Assert.Contains(cpuState[^2], w => w != 0.25f);
        var populations = EveryKindNetwork.Build(7).Populations;
        for (var p = 0; p < cpuSpikes.Length; p++)
            Assert.True(cpuSpikes[p].SequenceEqual(gpuSpikes[p]), $"spikes of '{populations[p].Name}' differ: first at " +
                cpuSpikes[p].Zip(gpuSpikes[p]).Select((x, k) => (x, k)).FirstOrDefault(z => z.x.First != z.x.Second));
        for (var v = 0; v < cpuState.Length; v++) Assert.Equal(cpuState[v], gpuState[v]);
    }

    [Fact]
    public void Dense_and_spike_driven_delivery_agree()
    {
        var (dense, denseState) = Run(Probe.Host.Value, PropagationMode.Dense);
        var (driven, drivenState) = Run(Probe.Host.Value, PropagationMode.SpikeDriven);
        Assert.Equal(dense, driven);
        Assert.Equal(denseState, drivenState);
    }

    /// <summary>
    /// The GPU time loop never waits for the host: spike counts stay on the device and per-spike launches cover a fixed grid,
    /// and neuromodulators step on the device, so a network of sparse (per-synapse delays), generated, dense and one-to-one
    /// projections, dopamine-gated plasticity, Poisson input and currents runs on ILGPU's CPU accelerator (the GPU code path)
    /// with no host read of device memory after its first steps.
    /// </summary>
    [Fact]
    public void The_device_loop_reads_nothing_back_from_the_device_in_steady_state()
    {
        var network = EveryKindNetwork.Build(7);
        var spikes = network.Populations.Select(p => (SpikeSim.Simulator.Recording.Recording)new SpikeRecording(p)).ToArray();
        using var emulator = IlgpuBackend.TryCreate(DeviceKind.IlgpuCpuEmulator)!;
        using var simulation = new TimeStepSimulation(network, emulator, new TimeStepOptions(0.1, Seed: 7));
        simulation.RunSteps(20);
        var before = emulator.HostReads;
        simulation.RunSteps(200);
        Assert.Equal(0, emulator.HostReads - before);

        // Recording spikes: they gather on the device, and only the end of the run reads each log back (its length, then
        // its neurons and steps): at most 3 reads a population for 300 steps, where a per-step copy would make 3 000.
        var recorded = new CollectingSink();
        simulation.Record(spikes, recorded);
        before = emulator.HostReads;
        simulation.RunSteps(300);
        Assert.InRange(emulator.HostReads - before, 1, 3 * network.Populations.Count);

        // The same network on the host launcher spikes the same, bit for bit, and its recorder sees the same spikes.
        using var host = new HostBackend(threads: 2);
        using var reference = new TimeStepSimulation(network, host, new TimeStepOptions(0.1, Seed: 7));
        reference.RunSteps(220);
        var expected = new CollectingSink();
        reference.Record(spikes, expected);
        reference.RunSteps(300);
        Assert.True(expected.Received.Count > 500, $"{expected.Received.Count} spikes");
        // Each recording's spikes arrive in time order; on a GPU the recordings take turns a chunk at a time, not a step at a time.
        Assert.Equal(expected.Received.OrderBy(x => x.Recording).ToArray(), recorded.Received.OrderBy(x => x.Recording).ToArray());
        foreach (var p in network.Populations)
            foreach (var v in p.Model.StateVariables)
                Assert.Equal(reference.Group(p).State(v).ToArray(), simulation.Group(p).State(v).ToArray());
        foreach (var plastic in network.Projections.Where(p => p.Plasticity is not null))
            Assert.Equal(reference.Weights(plastic), simulation.Weights(plastic));
    }

    private sealed class CollectingSink : IRecordingSink
    {
        public List<(int Recording, int Neuron, double TimeMs)> Received { get; } = [];

        public void Spikes(int recording, ReadOnlySpan<int> neurons, ReadOnlySpan<double> timesMs)
        {
            for (var k = 0; k < neurons.Length; k++) Received.Add((recording, neurons[k], timesMs[k]));
        }

        public void State(int recording, double timeMs, ReadOnlySpan<float> values) { }
    }

    [Fact]
    public void One_and_two_host_threads_agree()
    {
        using var one = new HostBackend(threads: 1);
        using var two = new HostBackend(threads: 2);
        Assert.Equal(Run(one, PropagationMode.Auto).Spikes, Run(two, PropagationMode.Auto).Spikes);
    }

    // The trained-layer models: input → ALIF (recurrent) → LIF → leaky readout, fed with GEMMs, a bias and a current.
    private static (int[][] Spikes, float[][] State) RunFeeds(IComputeBackend backend)
    {
        var rng = new System.Random(5);
        float[] Weights(int n) => [.. Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 1.6 - 0.5))];
        var network = new Network();
        var input = new ExternalInput("x", 5);
        var alif = network.AddPopulation("alif", 12, new SpikeSim.Simulator.Neurons.AdaptiveLif(10, 50, 0.8, R: 1, VLeak: 0, VThreshold: 1, VReset: 0, RefractoryMs: 0, SpikeSim.Simulator.Neurons.ResetMode.SubtractAtNextStep, SpikeSim.Simulator.Neurons.Integrator.DiscreteTime));
        var lif = network.AddPopulation("lif", 9, new SpikeSim.Simulator.Neurons.Lif(8, R: 1, VLeak: 0, 0.7, VReset: 0, RefractoryMs: 0, SpikeSim.Simulator.Neurons.ResetMode.ZeroAtNextStep, SpikeSim.Simulator.Neurons.Integrator.DiscreteTime));
        var readout = network.AddPopulation("readout", 3, new SpikeSim.Simulator.Neurons.LeakyIntegrator(15, R: 1, VLeak: 0, SpikeSim.Simulator.Neurons.Integrator.DiscreteTime));
        var cuba = network.AddPopulation("cuba", 7, new SpikeSim.Simulator.Neurons.CubaLif(9, 4, 4, R: 0.8, VLeak: 0, VThreshold: 0.6, VReset: 0, RefractoryMs: 0, SpikeSim.Simulator.Neurons.ResetMode.ZeroAtNextStep, SpikeSim.Simulator.Neurons.Integrator.DiscreteTime));
        network.Feed(new InputFeed(alif, input, Weights(12 * 5)));
        network.Feed(new SpikeFeed(alif, alif, Weights(12 * 12), FeedTiming.PreviousStep));
        network.SetFeedBias(alif, Weights(12));
        network.Feed(new SpikeFeed(alif, lif, Weights(9 * 12), FeedTiming.SameStep));
        network.Feed(new SpikeFeed(lif, readout, Weights(3 * 9), FeedTiming.SameStep));
        network.Feed(new SpikeFeed(alif, cuba, Weights(7 * 12), FeedTiming.SameStep));
        network.Feed(new SpikeFeed(cuba, cuba, Weights(7 * 7), FeedTiming.PreviousStep));
        network.Inject(new SpikeSim.Simulator.Inputs.CurrentInput(readout, [0.1f, -0.2f, 0.05f]));
        // Convolutional stages: two convolutions of one 2×6×6 image into conv1 (max, then sum pooling: the second adds
        // to the first), conv2 fed densely by alif and then by an unpooled, padded convolution of conv1's spikes, and a
        // dense layer reading conv2 flattened.
        var image = new ExternalInput("image", 72);
        var conv1 = network.AddPopulation("conv1", 12, new SpikeSim.Simulator.Neurons.Lif(8, R: 1, VLeak: 0, 0.6, VReset: 0, RefractoryMs: 0, SpikeSim.Simulator.Neurons.ResetMode.SubtractAtNextStep, SpikeSim.Simulator.Neurons.Integrator.DiscreteTime));
        var conv2 = network.AddPopulation("conv2", 36, new SpikeSim.Simulator.Neurons.Lif(8, R: 1, VLeak: 0, 0.6, VReset: 0, RefractoryMs: 0, SpikeSim.Simulator.Neurons.ResetMode.SubtractAtNextStep, SpikeSim.Simulator.Neurons.Integrator.DiscreteTime));
        var dense = network.AddPopulation("dense", 4, new SpikeSim.Simulator.Neurons.Lif(8, R: 1, VLeak: 0, 0.5, VReset: 0, RefractoryMs: 0, SpikeSim.Simulator.Neurons.ResetMode.SubtractAtNextStep, SpikeSim.Simulator.Neurons.Integrator.DiscreteTime));
        var first = new ConvGeometry(new ImageShape(2, 6, 6), 3, 3);
        var pool = new PoolGeometry(first.Output, 2, 2);
        network.Feed(new ConvolutionFeed(conv1, image, null, first, Weights(3 * 18), Weights(3), new Pooling(PoolKind.Max, pool)));
        network.Feed(new ConvolutionFeed(conv1, image, null, first, Weights(3 * 18), Weights(3), new Pooling(PoolKind.Sum, pool)));
        var second = new ConvGeometry(pool.Output, 4, 2, padding: 1);
        network.Feed(new SpikeFeed(alif, conv2, Weights(36 * 12), FeedTiming.SameStep));
        network.Feed(new ConvolutionFeed(conv2, null, conv1, second, Weights(4 * 12), Weights(4)));
        network.Feed(new SpikeFeed(conv2, dense, Weights(4 * 36), FeedTiming.SameStep, second.Output));
        using var simulation = new TimeStepSimulation(network, backend, new TimeStepOptions(1.0));
        var recorders = network.Populations.Select(p => simulation.Observe(new SpikeRecorder(p))).ToArray();
        for (var t = 0; t < 60; t++)
        {
            simulation.SetInput(input, [.. Enumerable.Range(0, 5).Select(i => MathF.Sin(0.3f * t + i))]);
            simulation.SetInput(image, [.. Enumerable.Range(0, 72).Select(i => MathF.Cos(0.2f * t + 0.7f * i))]);
            simulation.RunSteps(1);
        }
        return (recorders.Select(r => r.Neurons.ToArray().Zip(r.SpikeSteps.ToArray(), (n, s) => s * 1000 + n).ToArray()).ToArray(),
            network.Populations.SelectMany(p => p.Model.StateVariables.Select(v => simulation.Group(p).State(v).ToArray())).ToArray());
    }

    /// <summary>
    /// The feeds' products are each backend's own GEMM (blocked SIMD with fused multiply-adds on the host, ILGPU's kernel
    /// or cuBLAS elsewhere), so across backends states agree to float rounding, not bit for bit; on one backend a trained
    /// network's simulation equals its training forward pass bit for bit (SimulatedClassifierTests).
    /// </summary>
    [Fact]
    public void Trained_layer_models_and_feeds_agree_across_launchers_to_rounding()
    {
        using var emulator = IlgpuBackend.TryCreate(DeviceKind.IlgpuCpuEmulator)!;
        using var host = new HostBackend(threads: 2);
        var (cpuSpikes, cpuState) = RunFeeds(host);
        var (gpuSpikes, gpuState) = RunFeeds(emulator);
        Assert.True(cpuSpikes[0].Length > 20 && cpuSpikes[1].Length > 5, "both spiking layers should fire");
        Assert.True(cpuSpikes[4].Length > 20 && cpuSpikes[5].Length > 20 && cpuSpikes[6].Length > 5, "the convolutional layers and the dense one after them should fire");
        for (var p = 0; p < cpuSpikes.Length; p++) Assert.True(cpuSpikes[p].SequenceEqual(gpuSpikes[p]), $"spikes of population {p} differ");
        for (var v = 0; v < cpuState.Length; v++)
            for (var i = 0; i < cpuState[v].Length; i++)
                Assert.True(Math.Abs(cpuState[v][i] - gpuState[v][i]) <= 1e-5f * Math.Max(1f, Math.Abs(cpuState[v][i])),
                    $"state {v}, neuron {i}: host {cpuState[v][i]:R}, ILGPU {gpuState[v][i]:R}");
    }

    [Fact]
    public void The_equivalence_network_launches_every_kernel_the_simulator_has()
    {
        using var recording = new RecordingBackend(new HostBackend());
        Run(recording, PropagationMode.Dense);
        Run(recording, PropagationMode.SpikeDriven);
        RunFeeds(recording);
        // Launches bounded by a count that stays on the device exist only on a GPU path.
        using var device = new RecordingBackend(IlgpuBackend.TryCreate(DeviceKind.IlgpuCpuEmulator)!);
        Run(device, PropagationMode.Auto);
        var network = EveryKindNetwork.Build(7);
        using (var simulation = new TimeStepSimulation(network, device, new TimeStepOptions(0.1, Seed: 7)))
        {
            simulation.Record([.. network.Populations.Select(p => (SpikeSim.Simulator.Recording.Recording)new SpikeRecording(p))], new CollectingSink());
            simulation.RunSteps(30);
        }
        var launched = recording.Launched.Concat(device.Launched).ToHashSet();
        var missing = KernelCatalog.Simulation.Where(k => !launched.Contains(k)).Select(k => k.FullName).ToArray();
        Assert.True(missing.Length == 0, "kernels not covered by the equivalence test: " + string.Join(", ", missing));
    }
}
