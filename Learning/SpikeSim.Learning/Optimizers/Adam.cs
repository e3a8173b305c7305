using SpikeSim.Learning.Layers;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Learning.Optimizers;

/// <summary>Adam with decoupled weight decay (see <see cref="AdamKernel"/>); moments live on the backend.</summary>
public sealed class Adam : IOptimizer
{
    private readonly IComputeBackend _backend;
    private readonly OptimizerSettings _s;
    private readonly (Parameter P, DeviceBuffer<float> M, DeviceBuffer<float> V)[] _slots;

    public Adam(IComputeBackend backend, IEnumerable<Parameter> parameters, OptimizerSettings settings)
    {
        _backend = backend;
        _s = settings;
        LearningRate = settings.LearningRate;
        _slots = parameters.Select(p => (p, backend.Allocate<float>(p.Length), backend.Allocate<float>(p.Length))).ToArray();
        State = _slots.SelectMany(s => new[] { s.M, s.V }).ToArray();
    }

    /// <inheritdoc />
    public OptimizerKind Kind => OptimizerKind.Adam;

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
        var c1 = (float)(1 / (1 - Math.Pow(_s.Beta1, StepCount)));
        var c2 = (float)(1 / (1 - Math.Pow(_s.Beta2, StepCount)));
        foreach (var (p, m, v) in _slots)
            _backend.Launch(p.Length, new AdamKernel(p.Value.View, p.Gradient.View, m.View, v.View,
                LearningRate, _s.Beta1, _s.Beta2, _s.Epsilon, _s.WeightDecay, c1, c2));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var (_, m, v) in _slots) { m.Dispose(); v.Dispose(); }
    }
}
