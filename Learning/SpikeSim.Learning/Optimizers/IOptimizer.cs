using SpikeSim.Learning.Layers;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Learning.Optimizers;

/// <summary>
/// Updates parameters from their gradients. Its state (moments, step count) is explicit, so a
/// checkpoint can save it and a resumed run continues exactly.
/// </summary>
public interface IOptimizer : IDisposable
{
    /// <summary>Which optimiser this is.</summary>
    OptimizerKind Kind { get; }

    /// <summary>Steps taken so far.</summary>
    long StepCount { get; set; }

    /// <summary>Learning rate (the trainer may schedule it).</summary>
    float LearningRate { get; set; }

    /// <summary>Applies one update to every parameter from its current gradient.</summary>
    void Step();

    /// <summary>The state buffers, in a fixed order, for checkpoints.</summary>
    IReadOnlyList<DeviceBuffer<float>> State { get; }
}

/// <summary>Hyper-parameters shared by the optimisers.</summary>
/// <param name="LearningRate">Step size.</param>
/// <param name="WeightDecay">Adam: decoupled decay λ; SGD: L2 coefficient.</param>
/// <param name="Momentum">SGD momentum μ.</param>
/// <param name="Beta1">Adam β₁.</param>
/// <param name="Beta2">Adam β₂.</param>
/// <param name="Epsilon">Adam ε.</param>
public sealed record OptimizerSettings(float LearningRate = 1e-3f, float WeightDecay = 0f, float Momentum = 0.9f,
    float Beta1 = 0.9f, float Beta2 = 0.999f, float Epsilon = 1e-8f);

/// <summary>The optimisers by kind.</summary>
public static class Optimizer
{
    /// <summary>The optimiser of kind <paramref name="kind"/> over <paramref name="parameters"/>.</summary>
    public static IOptimizer Create(OptimizerKind kind, IComputeBackend backend, IEnumerable<Parameter> parameters, OptimizerSettings settings)
        => kind switch
        {
            OptimizerKind.Adam => new Adam(backend, parameters, settings),
            OptimizerKind.Sgd => new SgdMomentum(backend, parameters, settings),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
}
