using ILGPU;
using SpikeSim.Learning.Layers.Kernels;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.LinearAlgebra;

namespace SpikeSim.Learning.Layers;

/// <summary>
/// Linear → spiking layer: h[t] = W·x[t] + bias feeds the scan of an <see cref="ISpikingCell"/> (LIF or ALIF).
/// Forward: one GEMM for all steps·batch rows, then the scan over steps. Backward: the reverse scan
/// turns ∂L/∂s into ∂L/∂h, then ∂L/∂W = Σₜ ∂L/∂h[t]ᵀ·x[t] and ∂L/∂x = ∂L/∂h·W as one GEMM each.
/// </summary>
public sealed class SpikingLinear : ISpikingLayer
{
    private readonly SpikingScan _scan;
    private readonly Parameter _weight, _bias;
    private readonly IComputeBackend _backend;

    /// <summary>Creates the layer with weights from <see cref="WeightInit"/>.</summary>
    public SpikingLinear(IComputeBackend backend, int inputs, int outputs, ISpikingCell cell, SpikingOptions options, Random random)
    {
        Validate.AtLeast(inputs, 1, nameof(inputs));
        Validate.AtLeast(outputs, 1, nameof(outputs));
        _backend = backend;
        Inputs = inputs;
        Outputs = outputs;
        _scan = new SpikingScan(backend, cell, options, outputs);
        _weight = new Parameter(backend, "weight", outputs, inputs);
        _bias = new Parameter(backend, "bias", outputs);
        var w = new float[_weight.Length];
        WeightInit.Gaussian(w, inputs, _scan.Constants.MembraneDecay, _scan.Constants.Threshold, options.InitGain, random);
        _weight.Value.CopyFrom(w);
        Parameters = [_weight, _bias];
    }

    /// <inheritdoc />
    public int Inputs { get; }

    /// <inheritdoc />
    public int Outputs { get; }

    /// <inheritdoc />
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The cell.</summary>
    public ISpikingCell Cell => _scan.Cell;

    /// <inheritdoc />
    public int TapeBytesPerNeuronStep => sizeof(float);

    /// <inheritdoc />
    public string Describe() => $"Linear({Inputs}→{Outputs}) → {_scan.Describe()}";

    /// <inheritdoc />
    public void Forward(in LayerContext context, ArrayView<float> input, ArrayView<float> output)
    {
        _scan.Begin(context);
        context.Gemm.Multiply(MatrixOp.None, MatrixOp.Transpose, context.Rows, Outputs, Inputs, 1f, input, _weight.Value.View, 0f, output);
        _scan.Forward(context, output, _bias.Value.View, 0, context.Steps);
    }

    /// <inheritdoc />
    public void RecomputeOutput(in LayerContext context, ArrayView<float> output) => _scan.Spikes(context, output);

    /// <inheritdoc />
    public void Backward(in LayerContext context, ArrayView<float> input, ArrayView<float> gradOutput, ArrayView<float> gradInput)
    {
        _scan.BeginBackward();
        _scan.Backward(context, gradOutput, context.Steps - 1, context.Steps);
        ErrorModulation.Apply(context, gradOutput, Outputs);
        LinearBackward.Run(context, _backend, input, gradOutput, gradInput, _weight, _bias, Inputs, Outputs);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _scan.Dispose();
        _weight.Dispose();
        _bias.Dispose();
    }
}

/// <summary>The linear half of a layer's backward pass, shared by every layer with a weight and a bias.</summary>
internal static class LinearBackward
{
    /// <summary>∂L/∂W = Gᵀ·X, ∂L/∂bias = Σ rows of G, and ∂L/∂X = G·W where wanted; G = ∂L/∂h.</summary>
    public static void Run(in LayerContext context, IComputeBackend backend, ArrayView<float> input, ArrayView<float> gradH,
        ArrayView<float> gradInput, Parameter weight, Parameter bias, int inputs, int outputs)
    {
        context.Gemm.Multiply(MatrixOp.Transpose, MatrixOp.None, outputs, inputs, context.Rows, 1f, gradH, input, 0f, weight.Gradient.View);
        backend.Launch(outputs, new ColumnSumKernel(gradH, bias.Gradient.View, context.Rows, outputs));
        if (gradInput.Length > 0)
            context.Gemm.Multiply(MatrixOp.None, MatrixOp.None, context.Rows, inputs, outputs, 1f, gradH, weight.Value.View, 0f, gradInput);
    }
}
