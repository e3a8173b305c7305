using SpikeSim.Learning.Layers;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Learning.Optimizers;

/// <summary>SGD with momentum and L2 weight decay (see <see cref="SgdMomentumKernel"/>).</summary>
public sealed class SgdMomentum : IOptimizer
{
    private readonly IComputeBackend _backend;
    private readonly OptimizerSettings _s;
    private readonly (Parameter P, DeviceBuffer<float> B)[] _slots;

    public SgdMomentum(IComputeBackend backend, IEnumerable<Parameter> parameters, OptimizerSettings settings)
    {
        _backend = backend;
        _s = settings;
        LearningRate = settings.LearningRate;
        _slots = parameters.Select(p => (p, backend.Allocate<float>(p.Length))).ToArray();
        State = _slots.Select(s => s.B).ToArray();
    }

    /// <inheritdoc />
    public OptimizerKind Kind => OptimizerKind.Sgd;

    /// <inheritdoc />
    public long StepCount { get; set; }

    /// <inheritdoc />
    public float LearningRate { get; set; }

    /// <inheritdoc />
    public IReadOnlyList<DeviceBuffer<float>> State { get; }

    /// <inheritdoc />
    public void Step()
    {
        StepCount++;
        foreach (var (p, b) in _slots)
            _backend.Launch(p.Length, new SgdMomentumKernel(p.Value.View, p.Gradient.View, b.View, LearningRate, _s.Momentum, _s.WeightDecay));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var (_, b) in _slots) b.Dispose();
    }
}
