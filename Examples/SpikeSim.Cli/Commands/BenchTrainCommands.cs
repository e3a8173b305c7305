using ILGPU.Runtime;
using System.CommandLine;
using System.Diagnostics;
using SpikeSim.Cli.Output;
using ILGPU;
using SpikeSim.Learning.Layers;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.LinearAlgebra;

namespace SpikeSim.Cli.Commands;

/// <summary>
/// <c>spikesim bench gemm</c> and <c>spikesim bench train</c>: the GEMM's GFLOP/s, and a spiking layer's
/// forward + backward against the same GEMMs alone, timed in one process on one backend.
/// </summary>
internal static class BenchTrainCommands
{
    public static Command Gemm()
    {
        var size = new Option<int>("--size") { Description = "m = n = k", DefaultValueFactory = _ => 1024 }.Within(1, 8192);
        var repeats = new Option<int>("--repeats") { Description = "Timed products per layout; the median is reported", DefaultValueFactory = _ => 7 }.Within(1, 1000);
        var device = CommonOptions.Device();
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var command = new Command("gemm", "GFLOP/s of the backend's GEMM on square float products (NN, NT, TN), and libtorch's in the same process") { size, repeats, device.Option, threads, json };
        command.SetAction(parse =>
        {
            var n = parse.GetValue(size);
            using var backend = CommonOptions.OpenDevice(device.From(parse), parse.GetValue(threads));
            using var gemm = SpikeSim.Simulator.LinearAlgebra.Gemm.For(backend);
            using var a = Random(backend, (long)n * n, 1);
            using var b = Random(backend, (long)n * n, 2);
            using var c = backend.Allocate<float>((long)n * n);
            var rows = new List<object>();
            var nn = 0.0;
            var kernel = gemm is HostGemm ? $" ({HostGemm.MicroKernelName} micro-kernel)" : "";
            Console.WriteLine($"GEMM {n}×{n}×{n} float on {backend.Description}{kernel}, median of {parse.GetValue(repeats)}:");
            foreach (var (opA, opB) in new[] { (MatrixOp.None, MatrixOp.None), (MatrixOp.None, MatrixOp.Transpose), (MatrixOp.Transpose, MatrixOp.None) })
            {
                var seconds = Median(parse.GetValue(repeats), () => gemm.Multiply(opA, opB, n, n, n, 1f, a.View, b.View, 0f, c.View), backend);
                var gflops = 2.0 * n * n * n / seconds / 1e9;
                var layout = $"{(opA == MatrixOp.None ? 'N' : 'T')}{(opB == MatrixOp.None ? 'N' : 'T')}";
                Console.WriteLine($"  {layout}: {seconds * 1e3:0.00} ms, {gflops:0.0} GFLOP/s");
                rows.Add(new { layout, seconds, gflops });
                if (layout == "NN") nn = gflops;
            }
            var torchThreads = parse.GetValue(threads) > 0 ? parse.GetValue(threads) : Environment.ProcessorCount;
            var torchSeconds = SpikeSim.Learning.Torch.TorchGemm.MedianSeconds(n, parse.GetValue(repeats), torchThreads);
            var torchGflops = 2.0 * n * n * n / torchSeconds / 1e9;
            Console.WriteLine($"  libtorch matmul (NN, {torchThreads} threads, same process): {torchSeconds * 1e3:0.00} ms, {torchGflops:0.0} GFLOP/s");
            Console.WriteLine($"  SpikeSim NN / libtorch: {nn / torchGflops:0.00}");
            if (parse.GetValue(json) is { } path)
                JsonFile.Write(path, new { size = n, device = backend.Description, layouts = rows, libtorch_seconds = torchSeconds, libtorch_gflops = torchGflops, ratio_nn_to_libtorch = nn / torchGflops });
            return 0;
        });
        return command;
    }

    public static Command Train()
    {
        var inputs = new Option<int>("--inputs") { DefaultValueFactory = _ => 784, Description = "Input width" }.Within(1, 100_000);
        var outputs = new Option<int>("--outputs") { DefaultValueFactory = _ => 512, Description = "LIF neurons" }.Within(1, 100_000);
        var arch = new ChoiceOption<NetworkArchitecture>("--arch", "mlp: one Linear→LIF layer (--inputs, --outputs); conv: the whole 12C5-MP2-64C5-MP2-10 MNIST network", NetworkArchitecture.Mlp);
        var batch = new Option<int?>("--batch") { Description = "Batch size (mlp 16, conv 64)" }.Within(1, 100_000);
        var steps = new Option<int?>("--steps") { Description = "Time steps (mlp 100, conv 25)" }.Within(1, 100_000);
        var repeats = new Option<int>("--repeats") { Description = "Timed runs; the median is reported", DefaultValueFactory = _ => 5 };
        var device = CommonOptions.Device();
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var command = new Command("train", "Forward + backward over all steps (a Linear→LIF layer, or the conv network) against the same GEMMs alone")
        {
            arch.Option, inputs, outputs, batch, steps, repeats, device.Option, threads, json,
        };
        command.SetAction(parse =>
        {
            var conv = arch.From(parse) == NetworkArchitecture.Conv;
            if (conv)
            {
                CommonOptions.Refuse(parse, inputs, "the conv network's input is MNIST's 1×28×28");
                CommonOptions.Refuse(parse, outputs, "the conv network's widths are fixed by its stages");
            }
            var (nIn, nOut, b, t, r) = (parse.GetValue(inputs), parse.GetValue(outputs), parse.GetValue(batch) ?? (conv ? 64 : 16), parse.GetValue(steps) ?? (conv ? 25 : 100), parse.GetValue(repeats));
            if (conv) return ConvNetwork(b, t, r, device.From(parse), parse.GetValue(threads), parse.GetValue(json));
            if (nIn < 1 || nOut < 1 || b < 1 || t < 1 || r < 1)
                throw new SpikeSim.Simulator.Errors.InvalidParameterException("--inputs, --outputs, --batch, --steps and --repeats must be at least 1.");
            using var backend = CommonOptions.OpenDevice(device.From(parse), parse.GetValue(threads));
            using var gemm = SpikeSim.Simulator.LinearAlgebra.Gemm.For(backend);
            var rows = t * b;
            // Poisson-like input spikes at 10 % so the scan does real work; the layer as a first layer (no ∂L/∂x).
            using var x = Random(backend, (long)rows * nIn, 3, spikes: true);
            using var gradOut = Random(backend, (long)rows * nOut, 4);
            using var output = backend.Allocate<float>((long)rows * nOut);
            using var grad = backend.Allocate<float>((long)rows * nOut);
            using var layer = new SpikingLinear(backend, nIn, nOut, new LifCell(), SpikingOptions.Default, new Random(1));
            var context = new LayerContext(backend, gemm, t, b);
            var fwdBwd = Median(r, () =>
            {
                layer.Forward(context, x.View, output.View);
                grad.View.CopyFrom(gradOut.View);
                layer.Backward(context, x.View, grad.View, default);
            }, backend);
            var weight = layer.Parameters[0];
            var gemms = Median(r, () =>
            {
                gemm.Multiply(MatrixOp.None, MatrixOp.Transpose, rows, nOut, nIn, 1f, x.View, weight.Value.View, 0f, output.View);
                gemm.Multiply(MatrixOp.Transpose, MatrixOp.None, nOut, nIn, rows, 1f, grad.View, x.View, 0f, weight.Gradient.View);
            }, backend);
            var flops = 2.0 * 2 * rows * nOut * nIn;
            var ratio = fwdBwd / gemms;
            Console.WriteLine($"Linear({nIn}→{nOut})+LIF, batch {b}, T = {t}, on {backend.Description}, median of {r}:");
            Console.WriteLine($"  forward + backward  {fwdBwd * 1e3:0.00} ms");
            Console.WriteLine($"  its two GEMMs alone {gemms * 1e3:0.00} ms ({flops / gemms / 1e9:0.0} GFLOP/s; forward x·Wᵀ and ∂L/∂W = Gᵀ·x)");
            Console.WriteLine($"  ratio {ratio:0.00} (1.00 would mean the scans, bias and copies cost nothing)");
            Console.WriteLine($"  tape {layer.TapeBytesPerNeuronStep} bytes per neuron-step ({(double)layer.TapeBytesPerNeuronStep * rows * nOut / (1 << 20):0.0} MiB for this batch)");
            if (parse.GetValue(json) is { } path)
                JsonFile.Write(path, new { fwd_bwd_s = fwdBwd, gemm_s = gemms, ratio, inputs = nIn, outputs = nOut, batch = b, steps = t, device = backend.Description, tape_bytes_per_neuron_step = layer.TapeBytesPerNeuronStep });
            return 0;
        });
        return command;
    }

    /// <summary>
    /// The snnTorch MNIST conv network's forward + backward (every layer, batch <paramref name="batch"/>, T steps) against
    /// the very GEMM calls it made, recorded and replayed alone on the same buffers.
    /// </summary>
    private static int ConvNetwork(int batch, int steps, int repeats, DeviceKind device, int threads, string? json)
    {
        if (batch < 1 || steps < 1 || repeats < 1) throw new SpikeSim.Simulator.Errors.InvalidParameterException("--batch, --steps and --repeats must be at least 1.");
        using var backend = CommonOptions.OpenDevice(device, threads);
        var recording = new RecordedGemm(SpikeSim.Simulator.LinearAlgebra.Gemm.For(backend));
        var spec = new SnnModelSpec(784, [], 10, Convolution: ConvolutionSpec.SnnTorchMnist);
        using var network = spec.Build(backend, 1, gemm: recording);
        using var x = Random(backend, (long)steps * batch * 784, 3, spikes: true);
        var gradOut = new float[steps * batch * 10];
        var rng = new Random(4);
        for (var i = 0; i < gradOut.Length; i++) gradOut[i] = (float)(rng.NextDouble() * 2 - 1) * 0.01f;
        var fwdBwd = Median(repeats, () =>
        {
            recording.Calls.Clear();
            network.Forward(x.View, steps, batch);
            network.Backward(gradOut);
        }, backend);
        var calls = recording.Calls.ToArray();
        var gemms = Median(repeats, () => { foreach (var call in calls) recording.Inner.Multiply(call.OpA, call.OpB, call.M, call.N, call.K, 1f, call.A, call.B, call.Beta, call.C); }, backend);
        var flops = calls.Sum(c => 2.0 * c.M * c.N * c.K);
        var ratio = fwdBwd / gemms;
        Console.WriteLine($"{spec}, batch {batch}, T = {steps}, on {backend.Description}, median of {repeats}:");
        Console.WriteLine($"  forward + backward  {fwdBwd * 1e3:0.0} ms ({batch / fwdBwd:0.0} samples/s)");
        Console.WriteLine($"  its {calls.Length} GEMMs alone {gemms * 1e3:0.0} ms ({flops / gemms / 1e9:0.0} GFLOP/s; replayed with the same shapes and buffers)");
        Console.WriteLine($"  ratio {ratio:0.00} (1.00 would mean im2col, col2im, pooling, the scans and copies cost nothing)");
        if (json is not null)
            JsonFile.Write(json, new { arch = "conv", network = spec.ToString(), fwd_bwd_s = fwdBwd, gemm_s = gemms, ratio, gemm_calls = calls.Length, gemm_gflops = flops / gemms / 1e9, batch, steps, device = backend.Description });
        return 0;
    }

    /// <summary>An <see cref="IGemm"/> that remembers every product it computes (with β, so a replay accumulates alike).</summary>
    private sealed class RecordedGemm(IGemm inner) : IGemm
    {
        public readonly record struct Call(MatrixOp OpA, MatrixOp OpB, int M, int N, int K, ArrayView<float> A, ArrayView<float> B, float Beta, ArrayView<float> C);

        public IGemm Inner { get; } = inner;

        public List<Call> Calls { get; } = [];

        public void Multiply(MatrixOp opA, MatrixOp opB, int m, int n, int k, float alpha, ArrayView<float> a, ArrayView<float> b, float beta, ArrayView<float> c)
        {
            Calls.Add(new Call(opA, opB, m, n, k, a, b, beta, c));
            Inner.Multiply(opA, opB, m, n, k, alpha, a, b, beta, c);
        }

        public void Dispose() => Inner.Dispose();
    }

    private static DeviceBuffer<float> Random(IComputeBackend backend, long length, int seed, bool spikes = false)
    {
        var rng = new Random(seed);
        var values = new float[length];
        for (var i = 0; i < length; i++) values[i] = spikes ? (rng.NextDouble() < 0.1 ? 1f : 0f) : (float)(rng.NextDouble() * 2 - 1) * 0.01f;
        var buffer = backend.Allocate<float>(length);
        buffer.CopyFrom(values);
        return buffer;
    }

    /// <summary>Median seconds of <paramref name="repeats"/> timed runs after one warm-up run.</summary>
    private static double Median(int repeats, Action run, IComputeBackend backend)
    {
        run();
        backend.Synchronize();
        var times = new List<double>();
        for (var i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            run();
            backend.Synchronize();
            times.Add(clock.Elapsed.TotalSeconds);
        }
        return times.Order().ElementAt(times.Count / 2);
    }
}
