using SpikeSim.Simulator.Convolution.Kernels;
using SpikeSim.Simulator.Convolution;
using ILGPU;
using SpikeSim.Learning.Layers.Convolution.Kernels;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Learning.Layers.Convolution;

/// <summary>
/// 2-D pooling of channels-last images over k × k windows with stride s, no padding: max (PyTorch's MaxPool2d), mean
/// (AvgPool2d) or sum (NIR's SumPool2d). No parameters; the backward pass routes each window's gradient to its first
/// maximum (whose place the forward pass keeps, one byte per output), or spreads it (mean: ÷k²). Before a neuron layer (<c>Conv2d → MaxPool2d → LIF</c>, snnTorch's order) or
/// after one, on spikes.
/// </summary>
public sealed class Pool2d : IOutputTapeLayer
{
    private readonly IComputeBackend _backend;
    private readonly OutputTape _tape;
    private DeviceBuffer<byte>? _argmax;

    /// <summary>Pooling of <paramref name="geometry"/>'s windows by <paramref name="kind"/>.</summary>
    public Pool2d(IComputeBackend backend, PoolGeometry geometry, PoolKind kind)
    {
        if (!Enum.IsDefined(kind)) throw new Simulator.Errors.InvalidParameterException($"Unknown pooling kind {(int)kind}.");
        if (kind == PoolKind.Max && geometry.Size > 16)
            throw new Simulator.Errors.InvalidParameterException($"Max pooling windows go up to 16×16 (each keeps its maximum's place in one byte); got {geometry.Size}×{geometry.Size}.");
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
        var cells = context.Rows * Outputs;
        var argmax = default(ArrayView<byte>);
        if (Kind == PoolKind.Max)
        {
            if (_argmax is null || _argmax.Length < cells)
            {
                _argmax?.Dispose();
                _argmax = _backend.Allocate<byte>(cells);
            }
            argmax = _argmax.View;
        }
        _backend.Launch(cells, new Pool2dForwardKernel(input, output, argmax, Geometry, Kind));
        _tape.Keep(context, output);
    }

    /// <inheritdoc />
    public void RecomputeOutput(in LayerContext context, ArrayView<float> output) => _tape.Restore(context, output);

    bool IOutputTapeLayer.KeepsOutput { get => _tape.Enabled; set => _tape.Enabled = value; }

    /// <inheritdoc />
    public bool BackwardReadsInput => false;

    /// <inheritdoc />
    public void Backward(in LayerContext context, ArrayView<float> input, ArrayView<float> gradOutput, ArrayView<float> gradInput)
    {
        if (gradInput.Length > 0)
            _backend.Launch(context.Rows * Inputs, new Pool2dBackwardKernel(_argmax?.View ?? default, gradOutput, gradInput, Geometry, Kind));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _tape.Dispose();
        _argmax?.Dispose();
    }
}
