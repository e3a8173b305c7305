using SpikeSim.Export.Nir;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Convolution;
using SpikeSim.Simulator.Errors;
using Xunit;

namespace SpikeSim.Tests.Export.Nir;

/// <summary>
/// A pooling of a layer's spikes (snnTorch's scnn_mnist: Conv2d → IF → SumPool2d → Conv2d, and SumPool2d → Flatten →
/// Affine at the end) is folded into the linear node that reads them. Checked against a direct computation in double —
/// pool the spikes, then convolve or multiply — for sum and average pooling, strides and paddings, and an image whose
/// last rows no window covers; and a graph laid out as scnn_mnist is read and run.
/// </summary>
public sealed class SpikePoolingNirTests
{
    private static double[] Random(int n, int seed, bool binary = false)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => binary ? (rng.NextDouble() < 0.3 ? 1.0 : 0.0) : rng.NextDouble() - 0.4)];
    }

    // Channels-first (C, H, W) throughout, as NIR lays images out.
    private static double[] Pool(double[] x, ImageShape s, int p, bool average)
    {
        var (hp, wp) = (s.Height / p, s.Width / p);
        var y = new double[s.Channels * hp * wp];
        for (var c = 0; c < s.Channels; c++)
            for (var i = 0; i < hp; i++)
                for (var j = 0; j < wp; j++)
                {
                    double sum = 0;
                    for (var a = 0; a < p; a++)
                        for (var b = 0; b < p; b++) sum += x[(c * s.Height + i * p + a) * s.Width + j * p + b];
                    y[(c * hp + i) * wp + j] = average ? sum / (p * p) : sum;
                }
        return y;
    }

    private static double[] Convolve(double[] x, ImageShape s, double[] oihw, int outC, int k, int stride, int pad, out ImageShape output)
    {
        output = new ImageShape(outC, (s.Height + 2 * pad - k) / stride + 1, (s.Width + 2 * pad - k) / stride + 1);
        var y = new double[output.Size];
        for (var o = 0; o < outC; o++)
            for (var i = 0; i < output.Height; i++)
                for (var j = 0; j < output.Width; j++)
                {
                    double sum = 0;
                    for (var c = 0; c < s.Channels; c++)
                        for (var a = 0; a < k; a++)
                            for (var b = 0; b < k; b++)
                            {
                                int iy = i * stride - pad + a, ix = j * stride - pad + b;
                                if (iy >= 0 && iy < s.Height && ix >= 0 && ix < s.Width) sum += oihw[((o * s.Channels + c) * k + a) * k + b] * x[(c * s.Height + iy) * s.Width + ix];
                            }
                    y[(o * output.Height + i) * output.Width + j] = sum;
                }
        return y;
    }

    [Theory]
    [InlineData(PoolKind.Sum, 1, 1)]
    [InlineData(PoolKind.Sum, 2, 0)]
    [InlineData(PoolKind.Average, 1, 0)]
    [InlineData(PoolKind.Average, 2, 1)]
    public void Pooling_spikes_then_convolving_is_one_convolution_over_the_spikes(PoolKind kind, int stride, int pad)
    {
        var spikes = new ImageShape(2, 8, 8);
        var s = Random(spikes.Size, 1, binary: true);
        const int outC = 3, k = 3, p = 2;
        var w = Random(outC * 2 * k * k, 2);
        var pooledShape = new ImageShape(2, 4, 4);
        var expected = Convolve(Pool(s, spikes, p, kind == PoolKind.Average), pooledShape, w, outC, k, stride, pad, out var shape);

        var folding = new SpikePooling("pool", kind, p, spikes, pooledShape);
        var (geometry, folded) = folding.IntoConvolution(new ConvGeometry(pooledShape, outC, k, stride, pad), [.. w.Select(v => (float)v)], "conv");
        Assert.Equal((k * p, stride * p, pad * p), (geometry.Kernel, geometry.Stride, geometry.Padding));
        Assert.Equal(shape, geometry.Output);
        var actual = Convolve(s, spikes, [.. folded.Select(v => (double)v)], outC, geometry.Kernel, geometry.Stride, geometry.Padding, out _);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-5);
    }

    [Theory]
    [InlineData(PoolKind.Sum, 8)]
    [InlineData(PoolKind.Average, 7)]   // the last row and column are in no window: the folded Affine gives them no weight
    public void Pooling_spikes_then_flattening_into_an_affine_is_one_affine_over_the_spikes(PoolKind kind, int side)
    {
        var spikes = new ImageShape(3, side, side);
        var s = Random(spikes.Size, 3, binary: true);
        var pooledShape = new ImageShape(3, side / 2, side / 2);
        const int outputs = 5;
        var w = Random(outputs * pooledShape.Size, 4);
        var pooled = Pool(s, spikes, 2, kind == PoolKind.Average);
        var folded = new SpikePooling("pool", kind, 2, spikes, pooledShape).IntoDense([.. w.Select(v => (float)v)], outputs);
        for (var o = 0; o < outputs; o++)
        {
            var expected = Enumerable.Range(0, pooledShape.Size).Sum(i => w[o * pooledShape.Size + i] * pooled[i]);
            var actual = Enumerable.Range(0, spikes.Size).Sum(i => folded[o * spikes.Size + i] * s[i]);
            Assert.Equal(expected, actual, 1e-5);
        }
    }

    [Fact]
    public void A_pooling_whose_windows_leave_a_remainder_is_not_folded_into_a_convolution()
    {
        var folding = new SpikePooling("pool_3", PoolKind.Sum, 2, new ImageShape(2, 7, 7), new ImageShape(2, 3, 3));
        var error = Assert.Throws<SpikeSimException>(() => folding.IntoConvolution(new ConvGeometry(new ImageShape(2, 3, 3), 4, 3, 1, 1), new float[4 * 2 * 9], "conv_4"));
        Assert.Contains("'pool_3'", error.Message);
        Assert.Contains("'conv_4'", error.Message);
    }

    /// <summary>
    /// A graph laid out as snnTorch's <c>examples/scnn_mnist.nir</c> (634fc22; an N-MNIST network: 2×34×34 input,
    /// Conv2d(16, 5×5, stride 2, padding 1) → IF → Conv2d(16, 3×3, padding 1) → IF → SumPool2d(2) → Conv2d(8, 3×3,
    /// padding 1) → IF → SumPool2d(2) → Flatten → Affine(256) → IF → Affine(10) → IF), scalar groups and Flatten dims,
    /// per-neuron fields shaped like the images; random weights.
    /// </summary>
    internal static NirGraph ScnnMnistLayout()
    {
        var rng = new Random(11);
        NirArray Weights(params int[] shape) => NirArray.F32([.. Enumerable.Range(0, shape.Aggregate(1, (a, b) => a * b)).Select(_ => (float)((rng.NextDouble() - 0.5) * 0.5))], shape);
        NirArray Fill(float v, params int[] shape) => NirArray.F32(Enumerable.Repeat(v, shape.Aggregate(1, (a, b) => a * b)).ToArray(), shape);
        NirNode Conv(int outC, int inC, int k, int stride, int side) => NirNode.Of("Conv2d", ("weight", Weights(outC, inC, k, k)), ("bias", Weights(outC)),
            ("stride", NirArray.I64(stride, stride)), ("padding", NirArray.I64(1, 1)), ("dilation", NirArray.I64(1, 1)), ("groups", NirArray.Scalar(1)),
            ("input_shape", NirArray.I64(side, side)));
        NirNode If(params int[] shape) => NirNode.Of("IF", ("r", Fill(1, shape)), ("v_threshold", Fill(1, shape)));
        NirNode SumPool() => NirNode.Of("SumPool2d", ("kernel_size", NirArray.I64(2, 2)), ("stride", NirArray.I64(2, 2)), ("padding", NirArray.I64(0, 0)));
        var graph = new NirGraph();
        graph.Nodes.Add(("input", NirNode.Of("Input", ("shape", NirArray.I64(2, 34, 34)))));
        graph.Nodes.Add(("0", Conv(16, 2, 5, 2, 34)));
        graph.Nodes.Add(("1", If(16, 16, 16)));
        graph.Nodes.Add(("2", Conv(16, 16, 3, 1, 16)));
        graph.Nodes.Add(("3", If(16, 16, 16)));
        graph.Nodes.Add(("4", SumPool()));
        graph.Nodes.Add(("5", Conv(8, 16, 3, 1, 8)));
        graph.Nodes.Add(("6", If(8, 8, 8)));
        graph.Nodes.Add(("7", SumPool()));
        graph.Nodes.Add(("8", NirNode.Of("Flatten", ("start_dim", NirArray.Scalar(0)), ("end_dim", NirArray.Scalar(-1)), ("input_type", NirArray.I64(8, 4, 4)))));
        graph.Nodes.Add(("9", NirNode.Of("Affine", ("weight", Weights(256, 128)), ("bias", Weights(256)))));
        graph.Nodes.Add(("10", If(256)));
        graph.Nodes.Add(("11", NirNode.Of("Affine", ("weight", Weights(10, 256)), ("bias", Weights(10)))));
        graph.Nodes.Add(("12", If(10)));
        graph.Nodes.Add(("output", NirNode.Of("Output", ("shape", NirArray.I64(10)))));
        var names = graph.Nodes.Select(n => n.Name).ToList();
        for (var i = 0; i + 1 < names.Count; i++) graph.Edges.Add((names[i], names[i + 1]));
        return graph;
    }

    [Fact]
    public void A_graph_laid_out_as_snntorchs_scnn_mnist_reads_and_runs()
    {
        var chain = NirChain.Read(ScnnMnistLayout(), NirDialect.Generic);
        Assert.Equal("2×34×34-16C5S2P1-16C3P1-8C6S2P2-256-10 IF, IF readout", chain.ToString());
        var classifier = chain.ToSimulatedClassifier();
        using var backend = new HostBackend();
        var input = Random(10 * 2 * 34 * 34, 5, binary: true).Select(v => (float)v).ToArray();
        var rows = new float[10 * 10];
        classifier.Run(backend, input, 10, rows);
        Assert.Contains(rows, v => v == 1f);
    }
}
