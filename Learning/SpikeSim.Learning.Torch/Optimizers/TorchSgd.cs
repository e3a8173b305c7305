using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SpikeSim.Learning.Torch.Optimizers;

/// <summary>
/// SGD with momentum and L2 weight decay, as <c>torch.optim.SGD</c> (no dampening, no Nesterov), with held scalars
/// (see <see cref="TorchOptimizer"/>):
/// <code>
/// g ← g + λ·θ                      (only when λ ≠ 0)
/// b ← g at the first step, then b ← μ·b + g;   g ← b   (only when μ ≠ 0)
/// θ ← θ − η·g
/// </code>
/// </summary>
public sealed class TorchSgd : TorchOptimizer
{
    private readonly double _momentum, _weightDecay;
    private readonly Scalar _mu, _decay;
    private readonly Tensor?[] _buffers;

    public TorchSgd(IEnumerable<Parameter> parameters, double learningRate, double momentum = 0, double weightDecay = 0)
        : base(parameters, learningRate)
    {
        (_momentum, _weightDecay) = (momentum, weightDecay);
        (_mu, _decay) = (momentum.ToScalar(), weightDecay.ToScalar());
        _buffers = new Tensor?[Parameters.Count];
    }

    protected override void Update(int index, Parameter parameter, Tensor grad, long step)
    {
        if (_weightDecay != 0) grad = grad.add(parameter, _decay);
        if (_momentum != 0)
        {
            if (_buffers[index] is { } buffer) buffer.mul_(_mu).add_(grad, HeldScalars.One);
            else _buffers[index] = Held(grad.clone().detach());
            grad = _buffers[index]!;
        }
        using var rate = (-LearningRate).ToScalar();
        parameter.add_(grad, rate);
    }

    public override void Dispose()
    {
        foreach (var b in _buffers) b?.Dispose();
        _mu.Dispose();
        _decay.Dispose();
    }
}
