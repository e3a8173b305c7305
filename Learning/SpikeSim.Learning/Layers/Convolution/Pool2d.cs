using ILGPU;
using SpikeSim.Learning.Layers.Convolution.Kernels;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Learning.Layers.Convolution;

/// <summary>
/// 2-D pooling of channels-last images over k × k windows with stride s, no padding: max (PyTorch's MaxPool2d), mean
/// (AvgPool2d) or sum (NIR's SumPool2d). No parameters; the backward pass routes each window's gradient to its first
/// maximum, or spreads it (mean: ÷k²). Before a neuron layer (<c>Conv2d → MaxPool2d → LIF</c>, snnTorch's order) or
/// after one, on spikes.
/// </summary>
public sealed class Pool2d : ILayer
{
    private readonly IComputeBackend _backend;
    private readonly OutputTape _tape;

    /// <summary>Pooling of <paramref name="geometry"/>'s windows by <paramref name="kind"/>.</summary>
    public Pool2d(IComputeBackend backend, PoolGeometry geometry, PoolKind kind)
    {
        if (!Enum.IsDefined(kind)) throw new Simulator.Errors.InvalidParameterException($"Unknown pooling kind {(int)kind}.");
        _backend = backend;
        Geometry = geometry;
        Kind = kind;
        _tape = new OutputTape(backend, Outputs);
    }

    /// <summary>Input and output shapes, window and stride.</summary>
    public PoolGeometry Geometry { get; }

    /// <summary>Max, mean or sum.</summary>
    public PoolKind Kind { get; }

    /// <inheritdoc />
    public int Inputs => Geometry.Input.Size;

    /// <inheritdoc />
    public int Outputs => Geometry.Output.Size;

    /// <inheritdoc />
    public IReadOnlyList<Parameter> Parameters => [];

    /// <inheritdoc />
    public int TapeBytesPerNeuronStep => sizeof(float);

    /// <inheritdoc />
    public string Describe() => $"{Kind}Pool2d({Geometry.Input}→{Geometry.Output}, {Geometry.Size}×{Geometry.Size}, stride {Geometry.Stride})";

    /// <inheritdoc />
    public void Forward(in LayerContext context, ArrayView<float> input, ArrayView<float> output)
    {
        _backend.Launch(context.Rows * Outputs, new Pool2dForwardKernel(input, output, Geometry, Kind));
        _tape.Keep(context, output);
    }

    /// <inheritdoc />
    public void RecomputeOutput(in LayerContext context, ArrayView<float> output) => _tape.Restore(context, output);

    /// <inheritdoc />
    public void Backward(in LayerContext context, ArrayView<float> input, ArrayView<float> gradOutput, ArrayView<float> gradInput)
    {
        if (gradInput.Length > 0) _backend.Launch(context.Rows * Inputs, new Pool2dBackwardKernel(input, gradOutput, gradInput, Geometry, Kind));
    }

    /// <inheritdoc />
    public void Dispose() => _tape.Dispose();
}
