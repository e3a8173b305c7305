using Xunit;
using SpikeSim.Learning.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace SpikeSim.Experiments.Backpropamine.Tests;

/// <summary>The advantage actor-critic loss's hand-written gradient against TorchSharp's autograd.</summary>
public sealed class A2CLossTests
{
    [Fact]
    public void The_a2c_head_gradients_equal_torch_autograd_of_the_loss()
    {
        const int steps = 7, batch = 3, k = 4, actions = 2;
        var settings = new A2CSettings(Gamma: 0.8f, EntropyWeight: 0.3f, ValueWeight: 0.2f);
        var rng = new Random(9);
        var heads = Enumerable.Range(0, steps * batch * k).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray();
        var taken = Enumerable.Range(0, steps * batch).Select(_ => rng.Next(actions)).ToArray();
        var rewards = Enumerable.Range(0, steps * batch).Select(_ => (float)rng.Next(-1, 2)).ToArray();
        var ours = new float[heads.Length];
        var loss = A2CLoss.Gradients(heads, taken, rewards, steps, batch, k, actions, settings, ours);

        using var scope = NewDisposeScope();
        var h = tensor(heads).reshape(steps, batch, k).requires_grad_(true);
        var logits = h[.., .., ..actions];
        var value = h[.., .., actions];
        var probs = TorchSharp.torch.nn.functional.softmax(logits, 2);
        var logTaken = TorchSharp.torch.nn.functional.log_softmax(logits, 2).gather(2, tensor(taken.Select(a => (long)a).ToArray()).reshape(steps, batch, 1)).squeeze(2);
        // Held Scalars, and add(…, One) for + (see HeldScalars).
        using var gamma = settings.Gamma.ToScalar();
        using var entropyWeight = settings.EntropyWeight.ToScalar();
        using var valueWeight = settings.ValueWeight.ToScalar();
        using var length = (batch * steps).ToScalar();
        var returns = new List<Tensor>();
        var r = zeros(batch);
        for (var t = steps - 1; t >= 0; t--)
        {
            r = (gamma * r).add(tensor(rewards.AsSpan(t * batch, batch).ToArray()), HeldScalars.One);
            returns.Insert(0, r);
        }
        var advantage = stack(returns) - value;
        var total = (entropyWeight * probs.pow(HeldScalars.Two).sum() - (logTaken * advantage.detach()).sum())
            .add(valueWeight * advantage.pow(HeldScalars.Two).sum(), HeldScalars.One) / length;
        total.backward();
        Assert.Equal(total.item<float>(), loss, 4);
        var expected = h.grad!.data<float>().ToArray();
        for (var i = 0; i < ours.Length; i++) Assert.Equal(i % k < actions + 1 ? expected[i] : 0f, ours[i], 5);
    }
}
