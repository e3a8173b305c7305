using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SpikeSim.Learning.Torch.Optimizers;

/// <summary>
/// An optimiser of libtorch parameters that passes libtorch only <see cref="Scalar"/>s it holds through the call (see
/// <see cref="HeldScalars"/>). TorchSharp's own optimisers pass implicit temporaries (<c>add_(grad, alpha: 1 − β₁)</c>,
/// <c>mul_(β₁)</c>), which the garbage collector can free while libtorch still reads them — a crash that comes rarely
/// and at random, when another thread's allocation starts a collection at that moment. The subclasses re-state <c>torch.optim</c>'s
/// updates operation for operation, with the same double-precision scalars, so their results equal TorchSharp's
/// optimisers' bit for bit.
/// </summary>
public abstract class TorchOptimizer : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly long[] _steps;

    protected TorchOptimizer(IEnumerable<Parameter> parameters, double learningRate)
    {
        _parameters = parameters.ToArray();
        _steps = new long[_parameters.Length];
        LearningRate = learningRate;
    }

    /// <summary>The learning rate of the next <see cref="Step"/> (a schedule sets it between steps).</summary>
    public double LearningRate { get; set; }

    /// <summary>The parameters, in the order given.</summary>
    protected IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>Zeroes every parameter's gradient, as <c>Optimizer.zero_grad</c>.</summary>
    public void ZeroGrad()
    {
        foreach (var p in _parameters)
        {
            using var grad = p.grad;
            grad?.zero_();
        }
    }

    /// <summary>Updates every parameter that has a gradient, without recording the update for autograd.</summary>
    public void Step()
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        for (var i = 0; i < _parameters.Length; i++)
        {
            var grad = _parameters[i].grad;
            if (grad is null) continue;
            Update(i, _parameters[i], grad, ++_steps[i]);
        }
    }

    /// <summary>The update of parameter <paramref name="index"/> at its <paramref name="step"/>-th step (1-based).</summary>
    protected abstract void Update(int index, Parameter parameter, Tensor grad, long step);

    /// <summary>State that lives as long as the optimiser, outside any dispose scope the caller has open.</summary>
    protected static Tensor Held(Tensor t) => t.DetachFromDisposeScope();

    public abstract void Dispose();
}
