using SpikeSim.Simulator.Compute;

namespace SpikeSim.Learning.Layers;

/// <summary>A trainable tensor and its gradient, both on the layer's backend (row-major, <see cref="Shape"/>).</summary>
public sealed class Parameter : IDisposable
{
    internal Parameter(IComputeBackend backend, string name, params int[] shape)
    {
        Name = name;
        Shape = shape;
        Length = shape.Aggregate(1, (a, b) => checked(a * b));
        Value = backend.Allocate<float>(Length);
        Gradient = backend.Allocate<float>(Length);
    }

    /// <summary>Name within its layer: "weight", "bias", "recurrent_weight".</summary>
    public string Name { get; }

    /// <summary>Shape, e.g. [out, in] for a weight.</summary>
    public int[] Shape { get; }

    /// <summary>Number of elements.</summary>
    public int Length { get; }

    /// <summary>The values.</summary>
    public DeviceBuffer<float> Value { get; }

    /// <summary>∂L/∂value after a backward pass.</summary>
    public DeviceBuffer<float> Gradient { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        Value.Dispose();
        Gradient.Dispose();
    }
}
