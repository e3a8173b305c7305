using SpikeSim.Learning.Data;
using SpikeSim.Learning.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SpikeSim.Learning.Torch.Neuromodulation;

/// <summary>
/// Trains a ReLU MLP with SGD with momentum per layer, v ← α·v − η·∇, θ ← θ + v, where η and α of each layer
/// come either from a <see cref="LearningRateController"/> (consulted every <c>controlEvery</c> batches) or are
/// fixed. Same data, batch order and initialisation as the other ANN runs.
/// </summary>
public static class ControlledTraining
{
    /// <summary>Test accuracy after <paramref name="epochs"/> epochs.</summary>
    public static double Run(AnnModelSpec spec, TaskData data, int epochs, int batch, int seed,
        LearningRateController? controller, double fixedRate, double fixedMomentum, int controlEvery = 10)
    {
        using var scope = NewDisposeScope();
        using var model = new Mlp(spec, seed);
        var layers = model.Affine;
        var velocity = layers.Select(l => (zeros_like(l.weight!), zeros_like(l.bias!))).ToArray();
        var rates = Enumerable.Repeat(controller is null ? fixedRate : 0.01, layers.Count).ToArray();
        var momenta = Enumerable.Repeat(controller is null ? fixedMomentum : 0.5, layers.Count).ToArray();
        var batchesPerEpoch = (data.Train.Count + batch - 1) / batch;
        var total = epochs * batchesPerEpoch;
        var step = 0;
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            var order = Trainer.BatchOrder(seed, epoch, data.Train.Count);
            for (var start = 0; start < data.Train.Count; start += batch, step++)
            {
                using var inner = NewDisposeScope();
                var indices = order.AsSpan(start, Math.Min(batch, data.Train.Count - start)).ToArray();
                var (x, y) = Batch(data.Train, indices);
                model.zero_grad();
                var loss = nn.functional.cross_entropy(model.forward(x), y);
                loss.backward();
                using var _ = no_grad();
                for (var l = 0; l < layers.Count; l++)
                {
                    var (w, b) = (layers[l].weight!, layers[l].bias!);
                    if (controller is not null && step % controlEvery == 0)
                        (rates[l], momenta[l]) = controller.Decide(layers.Count == 1 ? 0 : (double)l / (layers.Count - 1), (double)step / total,
                            rates[l], momenta[l], w.grad!.abs().mean().item<float>(), w.abs().mean().item<float>());
                    var (vw, vb) = velocity[l];
                    // Explicit float32 scalars, disposed here, for every scalar argument (add_'s alpha too):
                    // implicit conversions failed inside libtorch ("toDouble"/"toFloat: Expected false to be true") when
                    // runs shared the process.
                    using var momentum = ((float)momenta[l]).ToScalar();
                    using var rate = ((float)rates[l]).ToScalar();
                    using var one = 1f.ToScalar();
                    vw.mul_(momentum).sub_(w.grad!.mul(rate));
                    vb.mul_(momentum).sub_(b.grad!.mul(rate));
                    w.add_(vw, one);
                    b.add_(vb, one);
                }
            }
        }
        using var __ = no_grad();
        var (tx, ty) = Batch(data.Test, Enumerable.Range(0, data.Test.Count).ToArray());
        var correct = model.forward(tx).argmax(1).eq(ty).sum().item<long>();
        var accuracy = (double)correct / data.Test.Count;
        return double.IsFinite(accuracy) ? accuracy : 0;
    }

    private static (Tensor X, Tensor Y) Batch(Dataset data, int[] indices)
    {
        var x = new float[indices.Length * data.Features];
        for (var b = 0; b < indices.Length; b++) data.Sample(indices[b]).CopyTo(x.AsSpan(b * data.Features));
        return (tensor(x).reshape(indices.Length, data.Features), tensor(indices.Select(i => (long)data.Labels[i]).ToArray()));
    }
}
