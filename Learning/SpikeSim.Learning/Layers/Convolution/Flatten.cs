using SpikeSim.Simulator.Convolution.Kernels;
using SpikeSim.Simulator.Convolution;
using ILGPU;
using SpikeSim.Learning.Layers.Convolution.Kernels;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Learning.Layers.Convolution;

/// <summary>
/// Flattens a channels-last image into PyTorch's and NIR's channels-first order: <c>y[c·H·W + p] = x[p·C + c]</c>, so the
/// dense layer after it has the weights a PyTorch <c>nn.Flatten() → nn.Linear</c> would have. No parameters.
/// </summary>
public sealed class Flatten : IOutputTapeLayer
{
    private readonly IComputeBackend _backend;
    private readonly OutputTape _tape;

    /// <summary>Flattens images of <paramref name="input"/>'s shape.</summary>
    public Flatten(IComputeBackend backend, ImageShape input)
    {
        input.Validate("A flatten layer's input");
        _backend = backend;
        Input = input;
        _tape = new OutputTape(backend, Outputs);
    }

    /// <summary>The image shape it flattens.</summary>
    public ImageShape Input { get; }

    /// <inheritdoc />
    public int Inputs => Input.Size;

    /// <inheritdoc />
    public int Outputs => Input.Size;

    /// <inheritdoc />
    public IReadOnlyList<Parameter> Parameters => [];

    /// <inheritdoc />
    public int TapeBytesPerNeuronStep => sizeof(float);

    /// <inheritdoc />
    public string Describe() => $"Flatten({Input}→{Outputs})";

    /// <inheritdoc />
    public void Forward(in LayerContext context, ArrayView<float> input, ArrayView<float> output)
    {
        _backend.Launch(context.Rows * Outputs, new TransposeRowsKernel(input, output, Input.Pixels, Input.Channels));
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
        if (gradInput.Length > 0) _backend.Launch(context.Rows * Inputs, new TransposeRowsKernel(gradOutput, gradInput, Input.Channels, Input.Pixels));
    }

    /// <inheritdoc />
    public void Dispose() => _tape.Dispose();
}
