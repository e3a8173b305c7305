using ILGPU.Runtime;
using System.Diagnostics;
using SpikeSim.Learning.Layers;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.LinearAlgebra;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Recording;

/// <summary>The device against the host launcher on the same network, seed and inputs.</summary>
internal static class Checks
{
    /// <summary>
    /// Runs the network on both for <paramref name="ms"/>, recording every spike. Bit-identical spikes pass; so do rates
    /// within 10 % plus three Poisson standard deviations, since a GPU adds a step's synaptic inputs in the order its atomics
    /// land, and a chaotic network amplifies a last-bit difference. Also reports the device's host reads per step.
    /// </summary>
    public static Check Network(string name, Func<Network> build, double ms, IComputeBackend device, IComputeBackend host)
    {
        var (onDevice, reads, steps) = Run(build(), ms, device);
        var (onHost, _, _) = Run(build(), ms, host);
        var identical = onDevice.SequenceEqual(onHost);
        double d = onDevice.Count, h = onHost.Count;
        var passed = identical || Math.Abs(d - h) <= 0.1 * h + 3 * Math.Sqrt(Math.Max(h, 1));
        return new Check($"{name} device = host", passed && h > 0,
            $"{d:0} spikes on the device, {h:0} on the host ({(identical ? "identical" : $"ratio {d / Math.Max(h, 1):0.000}")}), {reads} host reads in {steps} steps",
            new { device_spikes = d, host_spikes = h, identical, host_reads = reads, steps });
    }

    /// <summary>
    /// One Linear→LIF forward and backward pass (the device's GEMM: cuBLAS on CUDA) against the host's: output spikes may differ
    /// where a membrane sits within rounding of the threshold (at most 0.1 % of them), the weight gradient by 1e-3 relative (L2).
    /// </summary>
    public static Check Training(int inputs, int outputs, int batch, int steps, IComputeBackend device, IComputeBackend host)
    {
        var (deviceOut, deviceGrad) = Pass(inputs, outputs, batch, steps, device);
        var (hostOut, hostGrad) = Pass(inputs, outputs, batch, steps, host);
        var mismatched = deviceOut.Zip(hostOut).Count(x => x.First != x.Second) / (double)hostOut.Length;
        double diff = 0, norm = 0;
        for (var i = 0; i < hostGrad.Length; i++)
        {
            diff += Math.Pow(deviceGrad[i] - hostGrad[i], 2);
            norm += Math.Pow(hostGrad[i], 2);
        }
        var relative = Math.Sqrt(diff / Math.Max(norm, 1e-30));
        var fired = hostOut.Count(x => x != 0);
        return new Check($"training step device = host", mismatched <= 1e-3 && relative <= 1e-3 && fired > 0,
            $"Linear({inputs}→{outputs})+LIF, batch {batch}, T {steps}: {mismatched:P3} of outputs differ, weight gradient relative L2 difference {relative:0.0e0}, {fired} output spikes",
            new { inputs, outputs, batch, steps, mismatched_outputs = mismatched, gradient_relative_l2 = relative, output_spikes = fired });
    }

    /// <summary>
    /// A convolutional network's forward and backward pass (im2col, the device's GEMM, pooling, col2im, the scans) against
    /// the host's: the readout's membranes within 1e-3 relative (L2), the first convolution's weight gradient likewise.
    /// </summary>
    public static Check ConvTraining(SnnModelSpec spec, int batch, int steps, IComputeBackend device, IComputeBackend host)
    {
        var (deviceOut, deviceGrad) = ConvPass(spec, batch, steps, device);
        var (hostOut, hostGrad) = ConvPass(spec, batch, steps, host);
        var (output, gradient) = (RelativeL2(deviceOut, hostOut), RelativeL2(deviceGrad, hostGrad));
        var moved = hostGrad.Any(g => g != 0);
        return new Check("conv training step device = host", output <= 1e-3 && gradient <= 1e-3 && moved,
            $"{spec}, batch {batch}, T {steps}: readout relative L2 difference {output:0.0e0}, first kernel's gradient {gradient:0.0e0}",
            new { network = spec.ToString(), batch, steps, output_relative_l2 = output, gradient_relative_l2 = gradient });
    }

    /// <summary>Forward and backward of the seeded network on seeded input spikes; the readout and the first convolution's weight gradient.</summary>
    public static (float[] Output, float[] Gradient) ConvPass(SnnModelSpec spec, int batch, int steps, IComputeBackend backend)
    {
        using var network = spec.Build(backend, 1);
        var random = new Random(13);
        using var x = Upload(backend, steps * batch * spec.Inputs, () => random.NextDouble() < 0.3 ? 1f : 0f);
        var gradOut = Enumerable.Range(0, steps * batch * spec.Classes).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var output = network.Forward(x.View, steps, batch);
        backend.Synchronize();
        var y = new float[output.Length];
        ILGPU.Runtime.ArrayViewExtensions.CopyToCPU(output, y);
        network.Backward(gradOut);
        backend.Synchronize();
        return (y, network.Parameters.First().Gradient.ToArray());
    }

    private static double RelativeL2(float[] a, float[] reference)
    {
        double diff = 0, norm = 0;
        for (var i = 0; i < reference.Length; i++)
        {
            diff += Math.Pow(a[i] - reference[i], 2);
            norm += Math.Pow(reference[i], 2);
        }
        return Math.Sqrt(diff / Math.Max(norm, 1e-30));
    }

    /// <summary>Forward and backward of one seeded layer on seeded inputs; its outputs and weight gradient, copied back.</summary>
    public static (float[] Output, float[] Gradient) Pass(int inputs, int outputs, int batch, int steps, IComputeBackend backend)
    {
        using var gemm = Gemm.For(backend);
        var rows = steps * batch;
        var random = new Random(11);
        using var x = Upload(backend, rows * inputs, () => random.NextDouble() < 0.2 ? 1f : 0f);
        using var gradOut = Upload(backend, rows * outputs, () => (float)(random.NextDouble() * 2 - 1));
        using var output = backend.Allocate<float>(rows * outputs);
        using var layer = new SpikingLinear(backend, inputs, outputs, new LifCell(), SpikingOptions.Default, new Random(1));
        var context = new LayerContext(backend, gemm, steps, batch);
        layer.Forward(context, x.View, output.View);
        layer.Backward(context, x.View, gradOut.View, default);
        backend.Synchronize();
        return (output.ToArray(), layer.Parameters[0].Gradient.ToArray());
    }

    public static DeviceBuffer<float> Upload(IComputeBackend backend, int length, Func<float> value)
    {
        var buffer = backend.Allocate<float>(length);
        buffer.CopyFrom(Enumerable.Range(0, length).Select(_ => value()).ToArray());
        return buffer;
    }

    private static (List<(int, int, double)> Spikes, long HostReads, int Steps) Run(Network network, double ms, IComputeBackend backend)
    {
        using var simulation = new TimeStepSimulation(network, backend, new TimeStepOptions(0.1, Seed: 1));
        var sink = new SpikeList();
        simulation.Record([.. network.Populations.Select(p => (Recording)new SpikeRecording(p))], sink);
        var before = backend.HostReads;
        var steps = (int)Math.Round(ms / 0.1);
        simulation.RunSteps(steps);
        return ([.. sink.Received.OrderBy(s => s.Recording)], backend.HostReads - before, steps);
    }
}

/// <summary>Timings on the device: simulation after the network is built, training after a warm-up, each after a synchronisation.</summary>
internal static class Benchmarks
{
    public static Benchmark Network(string name, Func<Network> build, double ms, IComputeBackend device)
    {
        var clock = Stopwatch.StartNew();
        var network = build();
        using var simulation = new TimeStepSimulation(network, device, new TimeStepOptions(0.1, Seed: 1));
        var buildSeconds = clock.Elapsed.TotalSeconds;
        simulation.RunSteps(10); // kernels compiled and loaded
        device.Synchronize();
        clock.Restart();
        simulation.Run(ms);
        var run = clock.Elapsed.TotalSeconds;
        return new Benchmark(name, $"{network.NeuronCount} neurons, {network.SynapseCount} synapses, {ms} ms in {run:0.000} s (real-time factor {run / (ms * 1e-3):0.00}), built in {buildSeconds:0.0} s",
            new { neurons = network.NeuronCount, synapses = network.SynapseCount, duration_ms = ms, run_s = run, real_time_factor = run / (ms * 1e-3), build_s = buildSeconds });
    }

    public static Benchmark Training(int inputs, int outputs, int batch, int steps, IComputeBackend device)
    {
        using var gemm = Gemm.For(device);
        var rows = steps * batch;
        var random = new Random(3);
        using var x = Checks.Upload(device, rows * inputs, () => random.NextDouble() < 0.1 ? 1f : 0f);
        using var gradOut = Checks.Upload(device, rows * outputs, () => (float)(random.NextDouble() * 2 - 1) * 0.01f);
        using var grad = device.Allocate<float>((long)rows * outputs);
        using var output = device.Allocate<float>((long)rows * outputs);
        using var layer = new SpikingLinear(device, inputs, outputs, new LifCell(), SpikingOptions.Default, new Random(1));
        var context = new LayerContext(device, gemm, steps, batch);
        void Pass()
        {
            layer.Forward(context, x.View, output.View);
            grad.View.CopyFrom(gradOut.View);
            layer.Backward(context, x.View, grad.View, default);
        }
        var median = MedianOfThree(Pass, device);
        return new Benchmark($"train_{outputs}", $"Linear({inputs}→{outputs})+LIF, batch {batch}, T {steps}: forward + backward {median * 1e3:0.0} ms (median of 3)",
            new { inputs, outputs, batch, steps, fwd_bwd_s = median });
    }

    /// <summary>Seconds of <paramref name="pass"/> on the device, the median of 3 after a warm-up, each ended by a synchronisation.</summary>
    private static double MedianOfThree(Action pass, IComputeBackend device)
    {
        pass();
        device.Synchronize();
        var times = new List<double>();
        for (var r = 0; r < 3; r++)
        {
            var clock = Stopwatch.StartNew();
            pass();
            device.Synchronize();
            times.Add(clock.Elapsed.TotalSeconds);
        }
        return times.Order().ElementAt(1);
    }

    /// <summary>The convolutional network's forward + backward on the device, median of 3 after a warm-up.</summary>
    public static Benchmark ConvTraining(SnnModelSpec spec, int batch, int steps, IComputeBackend device)
    {
        using var network = spec.Build(device, 1);
        var random = new Random(5);
        using var x = Checks.Upload(device, steps * batch * spec.Inputs, () => random.NextDouble() < 0.1 ? 1f : 0f);
        var gradOut = Enumerable.Range(0, steps * batch * spec.Classes).Select(_ => (float)(random.NextDouble() * 2 - 1) * 0.01f).ToArray();
        void Pass()
        {
            network.Forward(x.View, steps, batch);
            network.Backward(gradOut);
        }
        var median = MedianOfThree(Pass, device);
        return new Benchmark("train_conv", $"{spec}, batch {batch}, T {steps}: forward + backward {median * 1e3:0.0} ms (median of 3)",
            new { network = spec.ToString(), batch, steps, fwd_bwd_s = median });
    }
}
