using SpikeSim.Simulator.Convolution;
using SpikeSim.Learning.Layers;
using SpikeSim.Learning.Layers.Convolution;
using SpikeSim.Learning.Surrogates;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Compute;
using SpikeSim.Tests.Support;
using Xunit;
using C = SpikeSim.Tests.Support.ReferenceConvolution;
using R = SpikeSim.Tests.Support.ReferenceBptt;

namespace SpikeSim.Tests.Learning;

/// <summary>
/// Convolutional SNNs (Conv2d with stride and padding, max, mean and sum pooling, flatten, LIF, LI readout): the float
/// network's output against a double-precision reference written channels-first from the definitions, and its BPTT
/// gradients against central finite differences of that reference, with the smooth forward (where the gradient is exact).
/// </summary>
public sealed class ConvolutionGradientTests
{
    private const int Steps = 6, Batch = 2;
    private static readonly (int C, int H, int W) Image = (2, 6, 6);

    [Theory]
    [InlineData(PoolKind.Max, SurrogateKind.FastSigmoid)]
    [InlineData(PoolKind.Average, SurrogateKind.Arctan)]
    [InlineData(PoolKind.Sum, SurrogateKind.Sigmoid)]
    public void A_conv_network_matches_the_double_reference_and_its_gradient_is_the_finite_difference(PoolKind pool, SurrogateKind surrogate)
    {
        using var backend = new HostBackend();
        Check(backend, pool, surrogate);
    }

    [Fact]
    public void The_ilgpu_cpu_accelerator_computes_the_same_gradients()
    {
        using var backend = IlgpuBackend.TryCreate(DeviceKind.IlgpuCpuEmulator)!;
        Check(backend, PoolKind.Max, SurrogateKind.FastSigmoid);
    }

    [Fact]
    public void The_snntorch_mnist_spec_builds_its_layers_in_order_with_their_shapes()
    {
        using var backend = new HostBackend();
        var spec = new SnnModelSpec(784, [], 10, Convolution: ConvolutionSpec.SnnTorchMnist);
        Assert.Equal("1×28×28-12C5-MP2-64C5-MP2-10 LIF, LI readout", spec.ToString());
        using var network = spec.Build(backend, 1);
        string[] expected = ["Conv2d(1×28×28→12×24×24,", "MaxPool2d(12×24×24→12×12×12,", "LIF(", "Conv2d(12×12×12→64×8×8,", "MaxPool2d(64×8×8→64×4×4,", "LIF(", "Flatten(64×4×4→1024)", "Linear(1024→10) → LI("];
        Assert.Equal(expected.Length, network.Layers.Count);
        for (var i = 0; i < expected.Length; i++) Assert.StartsWith(expected[i], network.Layers[i].Describe());
        Assert.Equal(spec.ParameterCount(), network.Parameters.Sum(p => (long)p.Length));
        Assert.Equal(12 * 25 + 12 + 64 * 12 * 25 + 64 + 1024 * 10 + 10, spec.ParameterCount());
    }

    [Fact]
    public void A_stage_that_does_not_fit_its_input_is_refused_with_its_shape()
    {
        var spec = new SnnModelSpec(16, [], 2, Convolution: new ConvolutionSpec(1, 4, 4, [new ConvStage(2, 5)]));
        var error = Assert.Throws<SpikeSim.Simulator.Errors.InvalidParameterException>(spec.Validate).Message;
        Assert.Contains("5×5 kernel does not fit a 1×4×4 input", error);
        Assert.Throws<SpikeSim.Simulator.Errors.InvalidParameterException>(() => (new SnnModelSpec(15, [], 2, Convolution: new ConvolutionSpec(1, 4, 4, [new ConvStage(2, 3)]))).Validate());
    }

    [Fact]
    public void Kernels_convert_between_channels_last_and_pytorchs_layout_and_back()
    {
        var ohwi = Enumerable.Range(0, 4 * 3 * 3 * 2).Select(i => (float)i).ToArray();
        var oihw = KernelLayout.ToOihw(ohwi, 4, 2, 3);
        // [o, i, y, x] in PyTorch's order is [o, y, x, i] in SpikeSim's.
        Assert.Equal(ohwi[((3 * 3 + 2) * 3 + 1) * 2 + 1], oihw[((3 * 2 + 1) * 3 + 2) * 3 + 1]);
        Assert.Equal(ohwi, KernelLayout.FromOihw(oihw, 4, 2, 3));
    }

    /// <summary>The reference reads PyTorch's [C_out, C_in, k, k]; the layer holds [C_out, k, k, C_in].</summary>
    private static double[] Oihw(double[] ohwi, int outChannels, int inChannels, int k)
    {
        var result = new double[ohwi.Length];
        for (var o = 0; o < outChannels; o++)
        for (var y = 0; y < k; y++)
        for (var x = 0; x < k; x++)
        for (var i = 0; i < inChannels; i++)
            result[((o * inChannels + i) * k + y) * k + x] = ohwi[((o * k + y) * k + x) * inChannels + i];
        return result;
    }

    private static void Check(IComputeBackend backend, PoolKind pool, SurrogateKind surrogateKind)
    {
        var surrogate = Surrogate.Create(surrogateKind);
        var options = new SpikingOptions(surrogate, DtMs: 1, Reset: ResetGradient.Propagated, Forward: SpikeForward.Smooth, InitGain: pool == PoolKind.Sum ? 1f : 2f);
        var rng = new Random(5);
        var cell = new LifCell(TauMemMs: 5);
        // 2×6×6 → Conv(3, k3, s1, p1) 3×6×6 → pool 2 → 3×3×3 → LIF → Conv(4, k3, s2, p1) 4×2×2 → LIF → flatten 16 → LI readout 3.
        var conv1 = new ConvGeometry(new ImageShape(2, 6, 6), 3, 3, 1, 1);
        var pool1 = new PoolGeometry(conv1.Output, 2, 2);
        var conv2 = new ConvGeometry(pool1.Output, 4, 3, 2, 1);
        var lif1 = new SpikingActivation(backend, pool1.Output.Size, cell, options);
        var lif2 = new SpikingActivation(backend, conv2.Output.Size, cell, options);
        ILayer[] layers =
        [
            new Conv2d(backend, conv1, lif1.WeightScale, rng), new Pool2d(backend, pool1, pool), lif1,
            new Conv2d(backend, conv2, lif2.WeightScale, rng), lif2,
            new Flatten(backend, conv2.Output), new LeakyReadout(backend, conv2.Output.Size, 3, tauMemMs: 8, dtMs: 1, initGain: 1, rng),
        ];
        using var network = new SpikingNetwork(backend, layers);
        var parameters = network.Parameters.Select(p => p.Value.ToArray().Select(v => (double)v).ToArray()).ToArray();

        var input = new double[Steps, Batch, Image.C * Image.H * Image.W];
        for (var t = 0; t < Steps; t++) for (var b = 0; b < Batch; b++) for (var i = 0; i < input.GetLength(2); i++) input[t, b, i] = rng.NextDouble() * 1.5;
        var c = new double[Steps, Batch, 3];
        for (var t = 0; t < Steps; t++) for (var b = 0; b < Batch; b++) for (var k = 0; k < 3; k++) c[t, b, k] = rng.NextDouble() * 2 - 1;
        var o = R.For(surrogate, smoothForward: true, propagateReset: true);
        var beta = ((ISpikingCell)cell).Discretize(1).MembraneDecay;
        var poolName = pool switch { PoolKind.Max => "max", PoolKind.Average => "average", _ => "sum" };

        double[,,] Forward(double[][] p, out double rate)
        {
            var h1 = C.Conv(input, Image, Oihw(p[0], 3, 2, 3), p[1], 3, 3, 1, 1, out var s1);
            var h1p = C.Pool(h1, s1, poolName, 2, out var s1p);
            var n1 = s1p.C * s1p.H * s1p.W;
            var spikes1 = R.Forward([new R.Layer(R.Kind.Feedforward, n1, n1, beta, 1, 0, 0, C.Identity(n1), null, new double[n1])], h1p, o);
            rate = spikes1.Cast<double>().Average();
            var h2 = C.Conv(spikes1, s1p, Oihw(p[2], 4, 3, 3), p[3], 4, 3, 2, 1, out var s2);
            var n2 = s2.C * s2.H * s2.W;
            var spikes2 = R.Forward([new R.Layer(R.Kind.Feedforward, n2, n2, beta, 1, 0, 0, C.Identity(n2), null, new double[n2])], h2, o);
            return R.Forward([new R.Layer(R.Kind.Readout, n2, 3, Math.Exp(-1 / 8.0), 0, 0, 0, p[4], null, p[5])], spikes2, o);
        }
        double Loss(double[][] p)
        {
            var y = Forward(p, out _);
            double sum = 0;
            for (var t = 0; t < Steps; t++) for (var b = 0; b < Batch; b++) for (var k = 0; k < 3; k++) sum += c[t, b, k] * y[t, b, k];
            return sum;
        }

        var channelsLast = C.ToChannelsLast(input, Image);
        using var x = backend.Allocate<float>(channelsLast.Length);
        x.CopyFrom(channelsLast.Cast<double>().Select(v => (float)v).ToArray());
        var output = network.Forward(x.View, Steps, Batch).ToArrayOnHost(backend);
        var expected = Forward(parameters, out var firstRate).Cast<double>().ToArray();
        Assert.InRange(firstRate, 0.05, 0.95);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], output[i], 4);

        network.Backward(c.Cast<double>().Select(v => (float)v).ToArray());
        const double eps = 1e-6;
        var ps = network.Parameters.ToArray();
        var failures = new List<string>();
        for (var k = 0; k < ps.Length; k++)
        {
            var got = ps[k].Gradient.ToArray();
            var fd = new double[got.Length];
            for (var i = 0; i < got.Length; i++)
            {
                var keep = parameters[k][i];
                parameters[k][i] = keep + eps; var up = Loss(parameters);
                parameters[k][i] = keep - eps; var down = Loss(parameters);
                parameters[k][i] = keep;
                fd[i] = (up - down) / (2 * eps);
            }
            double diff = 0, norm = 0;
            for (var i = 0; i < fd.Length; i++) { diff += (got[i] - fd[i]) * (got[i] - fd[i]); norm += fd[i] * fd[i]; }
            var error = Math.Sqrt(diff) / Math.Max(Math.Sqrt(norm), 1e-12);
            if (norm == 0) failures.Add($"parameter {k} ({ps[k].Name}) has no gradient at all");
            if (!(error <= 1e-4)) failures.Add($"parameter {k} ({ps[k].Name}, {string.Join('×', ps[k].Shape)}): relative error {error:e2} against finite differences");
        }
        Assert.True(failures.Count == 0, string.Join("; ", failures));
    }
}
