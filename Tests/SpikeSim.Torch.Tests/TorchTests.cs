using SpikeSim.Learning.Data;
using SpikeSim.Learning.Encoders;
using SpikeSim.Learning.Grapes;
using SpikeSim.Learning.Layers;
using SpikeSim.Learning.Losses;
using SpikeSim.Learning.Optimizers;
using SpikeSim.Learning.Torch;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Compute;
using SpikeSim.Tests.Torch.References;
using Xunit;

namespace SpikeSim.Tests.Learning;

/// <summary>The TorchSharp path: the bridge between the two BPTTs, the ANN models, GRAPES on the ANN.</summary>
public sealed class TorchTests
{
    [Fact]
    public void SpikeSim_bptt_gradients_equal_torch_autograd_on_the_same_two_layer_network()
    {
        const int inputs = 6, hidden = 12, outputs = 4, steps = 20, batch = 3;
        using var backend = new HostBackend();
        var rng = new Random(17);
        var options = SpikingOptions.Default with { InitGain = 2.5f };
        var lif = new LifCell(TauMemMs: 8);
        using var network = new SpikingNetwork(backend,
            [new SpikingLinear(backend, inputs, hidden, lif, options, rng), new LeakyReadout(backend, hidden, outputs, 15, 1, 1, rng)]);
        var input = Enumerable.Range(0, steps * batch * inputs).Select(_ => (float)rng.NextDouble() * 1.2f).ToArray();
        var c = Enumerable.Range(0, steps * batch * outputs).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        using var x = backend.Allocate<float>(input.Length);
        x.CopyFrom(input);
        network.Forward(x.View, steps, batch);
        network.Backward(c);
        var ours = network.Parameters.Select(p => p.Gradient.ToArray()).ToArray();
        var p = network.Parameters.Select(q => q.Value.ToArray()).ToArray();

        var reference = TorchLifReference.Gradients(
            new TorchLifReference.Network(p[0], p[1], p[2], p[3], inputs, hidden, outputs, lif.Discretize(1.0), MathF.Exp(-1f / 15f), 10f),
            input, c, steps, batch);
        for (var k = 0; k < 4; k++)
        {
            double diff = 0, norm = 0;
            for (var i = 0; i < ours[k].Length; i++)
            {
                diff += Math.Pow(ours[k][i] - reference[k][i], 2);
                norm += Math.Pow(reference[k][i], 2);
            }
            Assert.True(norm > 0, "the reference gradient is zero: the network did not spike");
            Assert.True(Math.Sqrt(diff / norm) <= 1e-4, $"tensor {k}: relative error {Math.Sqrt(diff / norm):e2}");
        }
    }

    private static readonly TaskData Data = new(YinYang.Generate(600, 42), null, YinYang.Generate(300, 40));

    private static TrainingOptions Options(OptimizerKind optimizer, float lr, GrapesOptions? grapes = null) => new(
        Steps: 8, Epochs: 4, Batch: 20, Seed: 3, Loss: LossKind.CeMax, Encoder: EncoderKind.Current, Optimizer: optimizer,
        Settings: new OptimizerSettings(LearningRate: lr, Momentum: 0), Schedule: LearningRateSchedule.Constant, Grapes: grapes);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_ann_learns_yin_yang_through_the_shared_loop(bool recurrent)
    {
        using var trainer = new AnnTrainer(new AnnModelSpec(4, [32], 3, recurrent), Options(OptimizerKind.Adam, 1e-2f));
        var history = EpochLoop.Run(trainer, Data, 0, 4, null, null);
        Assert.True(history[^1].TestAccuracy > 0.6, $"test accuracy {history[^1].TestAccuracy:P1} is near chance");
        Assert.True(history[^1].TrainLoss < history[0].TrainLoss);
    }

    [Fact]
    public void The_cnn_counterpart_has_the_snns_shape_and_learns()
    {
        // Yin-Yang's four values as a 1×2×2 image, as the SNN tests read them: Conv(6, k2, p1) 6×3×3 → max pool 2 → ReLU → 6 → 3.
        var snn = new SnnModelSpec(4, [], 3, Convolution: new ConvolutionSpec(1, 2, 2, [new ConvStage(6, 2, Padding: 1)]));
        var spec = AnnModelSpec.Of(snn);
        Assert.Equal("1×2×2-6C2P1-MP2-3 ReLU CNN", spec.ToString());
        using var trainer = new AnnTrainer(spec, Options(OptimizerKind.Adam, 2e-2f));
        Assert.IsType<Cnn>(trainer.Model);
        Assert.Equal(snn.ParameterCount(), trainer.Model.parameters().Sum(p => p.numel()));
        var history = EpochLoop.Run(trainer, Data, 0, 4, null, null);
        Assert.True(history[^1].TestAccuracy > 0.6, $"test accuracy {history[^1].TestAccuracy:P1} is near chance");
        Assert.True(history[^1].TrainLoss < history[0].TrainLoss);
    }

    [Fact]
    public void Ann_grapes_local_is_sgd_with_per_row_learning_rates_and_propagating_differs_only_upstream()
    {
        var spec = new AnnModelSpec(4, [16, 16], 3);
        using var plain = new AnnTrainer(spec, Options(OptimizerKind.Sgd, 0.1f));
        using var local = new AnnTrainer(spec, Options(OptimizerKind.Sgd, 0.1f, new GrapesOptions(GrapesVariant.Local)));
        using var propagating = new AnnTrainer(spec, Options(OptimizerKind.Sgd, 0.1f, new GrapesOptions(GrapesVariant.Propagating)));
        var one = new Dataset("one-batch", Data.Train.X[..(20 * 4)], Data.Train.Labels[..20], 4, 3, FeatureKind.Analog);
        float[][] Weights(AnnTrainer t) => t.Model.Affine.Select(l => l.weight!.data<float>().ToArray()).ToArray();
        var before = Weights(plain);
        var factors = local.ComputeFactors();
        foreach (var t in new[] { plain, local, propagating }) t.TrainEpoch(one, 0);
        var (p, l, q) = (Weights(plain), Weights(local), Weights(propagating));
        for (var layer = 0; layer < 3; layer++)
        {
            var columns = before[layer].Length / factors[layer].Length;
            for (var i = 0; i < before[layer].Length; i++)
            {
                var step = before[layer][i] - p[layer][i];
                Assert.Equal(before[layer][i] - factors[layer][i / columns] * step, l[layer][i], 5);
            }
        }
        Assert.Equal(l[2], q[2], new FloatTolerance(1e-5f));
        Assert.False(l[0].Zip(q[0]).All(z => Math.Abs(z.First - z.Second) < 1e-7), "the variants should differ upstream");
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float a, float b) => Math.Abs(a - b) <= tolerance * (1 + Math.Abs(a));
        public int GetHashCode(float obj) => 0;
    }
}
