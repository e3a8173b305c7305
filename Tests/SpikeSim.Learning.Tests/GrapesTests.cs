using SpikeSim.Simulator.Convolution;
using SpikeSim.Learning.Grapes;
using SpikeSim.Learning.Layers;
using SpikeSim.Learning.Optimizers;
using SpikeSim.Simulator.Compute;
using Xunit;

namespace SpikeSim.Tests.Learning;

/// <summary>GRAPES: the factor formula, and its two variants on the SNN path.</summary>
public sealed class GrapesTests
{
    [Fact]
    public void Factors_lie_in_one_to_two_and_the_most_important_node_gets_exactly_two()
    {
        var rng = new Random(4);
        var w = Enumerable.Range(0, 7 * 5).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var importance = new double[7];
        GrapesFactors.AddIncoming(w, 7, 5, importance);
        var m = GrapesFactors.Factors(importance);
        Assert.All(m, f => Assert.InRange(f, 1f, 2f));
        Assert.Equal(2f, m[Array.IndexOf(importance, importance.Max())]);
        for (var j = 0; j < 7; j++)
        {
            var expected = Math.Max(1, 2 * w.Skip(j * 5).Take(5).Sum(Math.Abs) / importance.Max());
            Assert.Equal(expected, m[j], 5);
        }
        // Outgoing importance is the column sums of the next layer.
        var outgoing = new double[5];
        GrapesFactors.AddOutgoing(w, 7, 5, outgoing);
        Assert.Equal(Enumerable.Range(0, 7).Sum(k => Math.Abs(w[k * 5 + 2])), outgoing[2], 5);
        Assert.All(GrapesFactors.Factors(new double[3]), f => Assert.Equal(1f, f));
    }

    [Fact]
    public void Local_grapes_is_plain_sgd_with_a_learning_rate_per_row()
    {
        using var backend = new HostBackend();
        var (input, gradOutput) = Batch();
        using var plain = Network(backend);
        using var grapes = Network(backend);
        using var modulation = new SnnGrapes(grapes, new GrapesOptions(GrapesVariant.Local));
        var factors = modulation.ComputeFactors();
        Run(plain, backend, input, n => n.Backward(gradOutput));
        Run(grapes, backend, input, _ => modulation.Backward(gradOutput));
        const float lr = 0.1f;
        var before = plain.Parameters.Select(p => p.Value.ToArray()).ToArray();
        var plainGrads = plain.Parameters.Select(p => p.Gradient.ToArray()).ToArray();
        using (var sgd = new SgdMomentum(backend, grapes.Parameters, new OptimizerSettings(LearningRate: lr, Momentum: 0))) sgd.Step();
        var index = 0;
        for (var l = 0; l < plain.Layers.Count; l++)
            foreach (var p in grapes.Layers[l].Parameters)
            {
                var after = p.Value.ToArray();
                var columns = p.Length / p.Shape[0];
                for (var i = 0; i < after.Length; i++)
                    Close(before[index][i] - lr * factors[l][i / columns] * plainGrads[index][i], after[i]);
                index++;
            }
    }

    [Fact]
    public void Propagating_grapes_modulates_the_error_sent_upstream_and_the_variants_differ_only_there()
    {
        using var backend = new HostBackend();
        var (input, gradOutput) = Batch();
        using var local = Network(backend);
        using var propagating = Network(backend);
        using var reference = Network(backend);
        using var localGrapes = new SnnGrapes(local, new GrapesOptions(GrapesVariant.Local));
        using var propagatingGrapes = new SnnGrapes(propagating, new GrapesOptions(GrapesVariant.Propagating));
        var m = propagatingGrapes.ComputeFactors();
        Run(local, backend, input, _ => localGrapes.Backward(gradOutput));
        Run(propagating, backend, input, _ => propagatingGrapes.Backward(gradOutput));

        // The readout is linear in its error, so modulating its error is modulating ∂L/∂y per class; the
        // hidden layer's own factor then scales its rows. Plain BPTT of that is what propagating must give.
        var scaled = gradOutput.Select((g, i) => g * m[1][i % 3]).ToArray();
        Run(reference, backend, input, n => n.Backward(scaled));
        var hidden = reference.Layers[0].Parameters.Select(p => p.Gradient.ToArray()).ToArray();
        for (var k = 0; k < hidden.Length; k++)
        {
            var columns = hidden[k].Length / 6;
            var expected = hidden[k].Select((g, i) => g * m[0][i / columns]).ToArray();
            var got = propagating.Layers[0].Parameters[k].Gradient.ToArray();
            for (var i = 0; i < got.Length; i++) Close(expected[i], got[i]);
        }

        // The last layer's gradients agree between the variants; upstream they differ.
        // (equal up to rounding: one scales the finished gradient's rows, the other the error before the GEMM)
        foreach (var (a, b) in local.Layers[^1].Parameters.Zip(propagating.Layers[^1].Parameters))
            foreach (var (x, y) in a.Gradient.ToArray().Zip(b.Gradient.ToArray())) Close(x, y);
        var localHidden = local.Layers[0].Parameters[0].Gradient.ToArray();
        var propagatingHidden = propagating.Layers[0].Parameters[0].Gradient.ToArray();
        Assert.True(localHidden.Zip(propagatingHidden).Any(p => Math.Abs(p.First - p.Second) > 1e-6 * (1 + Math.Abs(p.First))),
            "upstream of the last layer the variants should differ");
    }

    [Fact]
    public void A_convolutions_node_is_its_channel_and_local_grapes_scales_each_channels_kernel()
    {
        using var backend = new HostBackend();
        SpikingNetwork Conv()
        {
            var rng = new Random(8);
            var options = SpikingOptions.Default with { InitGain = 2.5f };
            var geometry = new SpikeSim.Simulator.Convolution.ConvGeometry(new SpikeSim.Simulator.Convolution.ImageShape(1, 3, 3), 3, 2, 1, 1);
            var lif = new SpikingActivation(backend, geometry.Output.Size, new LifCell(6), options);
            return new SpikingNetwork(backend, [new SpikeSim.Learning.Layers.Convolution.Conv2d(backend, geometry, lif.WeightScale, rng), lif,
                new SpikeSim.Learning.Layers.Convolution.Flatten(backend, geometry.Output), new LeakyReadout(backend, geometry.Output.Size, 3, 10, 1, 1, rng)]);
        }
        var rng = new Random(4);
        var input = Enumerable.Range(0, Steps * Batch_ * 9).Select(_ => (float)rng.NextDouble() * 2).ToArray();
        var gradOutput = Enumerable.Range(0, Steps * Batch_ * 3).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        using var plain = Conv();
        using var grapes = Conv();
        using var modulation = new SnnGrapes(grapes, new GrapesOptions(GrapesVariant.Local));
        var factors = modulation.ComputeFactors();
        // 3 channels × 4×4 pixels, channels-last: neuron p·3 + c has channel c's factor; the strongest kernel gets 2.
        Assert.Equal(48, factors[0].Length);
        for (var i = 0; i < 48; i++) Assert.Equal(factors[0][i % 3], factors[0][i]);
        Assert.Equal(2f, factors[0].Take(3).Max());
        Assert.All(factors[1].Concat(factors[2]), f => Assert.Equal(1f, f));
        Run(plain, backend, input, n => n.Backward(gradOutput));
        Run(grapes, backend, input, _ => modulation.Backward(gradOutput));
        foreach (var (p, q) in plain.Layers[0].Parameters.Zip(grapes.Layers[0].Parameters))
        {
            var (a, b) = (p.Gradient.ToArray(), q.Gradient.ToArray());
            var columns = a.Length / 3;
            Assert.Contains(a, g => g != 0);
            for (var i = 0; i < a.Length; i++) Close(a[i] * factors[0][i / columns], b[i]);
        }
    }

    private static void Close(float expected, float actual)
        => Assert.True(Math.Abs(expected - actual) <= 1e-5f * (1 + Math.Abs(expected)), $"expected {expected}, got {actual}");

    private const int Steps = 10, Batch_ = 4, Inputs = 5;

    private static SpikingNetwork Network(IComputeBackend backend)
    {
        var rng = new Random(21);
        var options = SpikingOptions.Default with { InitGain = 2.5f };
        return new SpikingNetwork(backend, [new SpikingLinear(backend, Inputs, 6, new LifCell(6), options, rng), new LeakyReadout(backend, 6, 3, 10, 1, 1, rng)]);
    }

    private static (float[] Input, float[] GradOutput) Batch()
    {
        var rng = new Random(8);
        return (Enumerable.Range(0, Steps * Batch_ * Inputs).Select(_ => (float)rng.NextDouble() * 1.5f).ToArray(),
            Enumerable.Range(0, Steps * Batch_ * 3).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray());
    }

    private static void Run(SpikingNetwork network, IComputeBackend backend, float[] input, Action<SpikingNetwork> backward)
    {
        using var x = backend.Allocate<float>(input.Length);
        x.CopyFrom(input);
        network.Forward(x.View, Steps, Batch_);
        backward(network);
    }
}
