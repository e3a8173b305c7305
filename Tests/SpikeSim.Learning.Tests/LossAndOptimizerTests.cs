using SpikeSim.Learning.Layers;
using SpikeSim.Learning.Losses;
using SpikeSim.Learning.Optimizers;
using SpikeSim.Simulator.Compute;
using Xunit;

namespace SpikeSim.Tests.Learning;

/// <summary>Losses against finite differences; optimisers against their closed forms.</summary>
public sealed class LossAndOptimizerTests
{
    [Theory]
    [InlineData(LossKind.CeMax)]
    [InlineData(LossKind.CeLast)]
    [InlineData(LossKind.CeCount)]
    [InlineData(LossKind.MseRate)]
    public void Each_loss_gradient_is_its_finite_difference(LossKind kind)
    {
        const int steps = 5, batch = 3, classes = 4;
        var loss = Loss.Create(kind);
        var rng = new Random(2);
        var y = Enumerable.Range(0, steps * batch * classes).Select(_ => (float)rng.NextDouble() * 2).ToArray();
        int[] labels = [1, 3, 0];
        var gradient = new float[y.Length];
        var predictions = new int[batch];
        loss.Evaluate(y, steps, batch, classes, labels, gradient, predictions);
        for (var i = 0; i < y.Length; i++)
        {
            const float h = 1e-3f;
            var keep = y[i];
            y[i] = keep + h;
            var up = loss.Evaluate(y, steps, batch, classes, labels, new float[y.Length], new int[batch]);
            y[i] = keep - h;
            var down = loss.Evaluate(y, steps, batch, classes, labels, new float[y.Length], new int[batch]);
            y[i] = keep;
            Assert.Equal((up - down) / (2 * h), gradient[i], 2e-3);
        }
    }

    [Fact]
    public void Cross_entropy_of_uniform_logits_is_log_classes_and_predicts_the_largest()
    {
        var gradient = new float[8];
        var predictions = new int[2];
        var loss = SoftmaxCrossEntropy.Evaluate([1, 1, 1, 1, 0, 5, 0, 0], 2, 4, [0, 1], gradient, predictions);
        Assert.Equal((Math.Log(4) + Math.Log(3 + Math.Exp(5)) - 5) / 2, loss, 5);
        Assert.Equal([0, 1], predictions);
    }

    [Fact]
    public void Adam_and_sgd_follow_their_update_equations()
    {
        using var backend = new HostBackend();
        using var adamParam = new Parameter(backend, "w", 2);
        adamParam.Value.CopyFrom([1f, -2f]);
        adamParam.Gradient.CopyFrom([0.5f, -0.25f]);
        using var adam = new Adam(backend, [adamParam], new OptimizerSettings(LearningRate: 0.1f, WeightDecay: 0.01f));
        adam.Step();
        // First step: m̂ = g, v̂ = g², so the step is lr·(sign(g)·|g|/(|g| + ε) + λw).
        Assert.Equal(1f - 0.1f * (0.5f / (0.5f + 1e-8f) + 0.01f * 1f), adamParam.Value.ToArray()[0], 6);
        Assert.Equal(-2f - 0.1f * (-1f + 0.01f * -2f), adamParam.Value.ToArray()[1], 6);

        using var sgdParam = new Parameter(backend, "w", 1);
        sgdParam.Value.CopyFrom([1f]);
        sgdParam.Gradient.CopyFrom([0.5f]);
        using var sgd = new SgdMomentum(backend, [sgdParam], new OptimizerSettings(LearningRate: 0.1f, Momentum: 0.9f));
        sgd.Step(); // b = 0.5, w = 0.95
        sgd.Step(); // b = 0.45 + 0.5 = 0.95, w = 0.855
        Assert.Equal(0.855f, sgdParam.Value.ToArray()[0], 6);
        Assert.Equal(2, sgd.StepCount);
    }

    [Fact]
    public void Clipping_scales_the_global_norm_down_to_the_maximum()
    {
        using var backend = new HostBackend();
        using var a = new Parameter(backend, "a", 1);
        using var b = new Parameter(backend, "b", 1);
        a.Gradient.CopyFrom([3f]);
        b.Gradient.CopyFrom([4f]);
        Assert.Equal(5.0, GradientClipping.ClipByNorm(backend, [a, b], 1.0), 6);
        Assert.Equal((0.6f, 0.8f), (a.Gradient.ToArray()[0], b.Gradient.ToArray()[0]));
        Assert.Equal(1.0, GradientClipping.ClipByNorm(backend, [a, b], 2.0), 6);
        Assert.Equal(0.6f, a.Gradient.ToArray()[0]);
    }
}
