using ILGPU;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.LinearAlgebra;

namespace SpikeSim.Learning.Layers;

/// <summary>
/// Recurrent spiking layer: h[t] = W_in·x[t] + W_rec·s[t−1] + bias feeds the scan of an
/// <see cref="ISpikingCell"/> (LIF or ALIF). The input projection is one GEMM for all steps; the
/// recurrent term needs s[t−1], so the scan advances one step at a time with a batch×N GEMM per step.
/// Backward runs the reverse scan step by step, adding W_recᵀ·∂L/∂h[t+1] to ∂L/∂s[t], then
/// ∂L/∂W_rec = Σₜ ∂L/∂h[t]ᵀ·s[t−1] as one GEMM over the rebuilt spikes.
/// </summary>
public sealed class SpikingRecurrent : ISpikingLayer
{
    private readonly SpikingScan _scan;
    private readonly Parameter _weight, _recurrent, _bias;
    private readonly IComputeBackend _backend;
    private DeviceBuffer<float>? _spikes;

    /// <summary>Creates the layer; both weight matrices follow <see cref="WeightInit"/> with their own fan-in.</summary>
    public SpikingRecurrent(IComputeBackend backend, int inputs, int outputs, ISpikingCell cell, SpikingOptions options, Random random)
    {
        Validate.AtLeast(inputs, 1, nameof(inputs));
        Validate.AtLeast(outputs, 1, nameof(outputs));
        _backend = backend;
        Inputs = inputs;
        Outputs = outputs;
        _scan = new SpikingScan(backend, cell, options, outputs);
        _weight = new Parameter(backend, "weight", outputs, inputs);
        _recurrent = new Parameter(backend, "recurrent_weight", outputs, outputs);
        _bias = new Parameter(backend, "bias", outputs);
        var (beta, theta) = (_scan.Constants.MembraneDecay, _scan.Constants.Threshold);
        var w = new float[_weight.Length];
        WeightInit.Gaussian(w, inputs, beta, theta, options.InitGain, random);
        _weight.Value.CopyFrom(w);
        var r = new float[_recurrent.Length];
        WeightInit.Gaussian(r, outputs, beta, theta, options.InitGain, random);
        _recurrent.Value.CopyFrom(r);
        Parameters = [_weight, _recurrent, _bias];
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
    public string Describe() => $"Recurrent({Inputs}→{Outputs}) → {_scan.Describe()}";

    /// <inheritdoc />
    public void Forward(in LayerContext context, ArrayView<float> input, ArrayView<float> output)
    {
        _scan.Begin(context);
        var width = context.Batch * Outputs;
        context.Gemm.Multiply(MatrixOp.None, MatrixOp.Transpose, context.Rows, Outputs, Inputs, 1f, input, _weight.Value.View, 0f, output);
        for (var t = 0; t < context.Steps; t++)
        {
            // Row block t−1 of the output already holds the spikes s[t−1].
            if (t > 0)
                context.Gemm.Multiply(MatrixOp.None, MatrixOp.Transpose, context.Batch, Outputs, Outputs, 1f,
                    output.SubView((long)(t - 1) * width, width), _recurrent.Value.View, 1f, output.SubView((long)t * width, width));
            _scan.Forward(context, output, _bias.Value.View, t, 1);
        }
    }

    /// <inheritdoc />
    public void RecomputeOutput(in LayerContext context, ArrayView<float> output) => _scan.Spikes(context, output);

    /// <inheritdoc />
    public void Backward(in LayerContext context, ArrayView<float> input, ArrayView<float> gradOutput, ArrayView<float> gradInput)
    {
        var width = context.Batch * Outputs;
        _scan.BeginBackward();
        for (var t = context.Steps - 1; t >= 0; t--)
        {
            // Row block t+1 already holds ∂L/∂h[t+1]; s[t] reaches h[t+1] through W_rec.
            if (t < context.Steps - 1)
                context.Gemm.Multiply(MatrixOp.None, MatrixOp.None, context.Batch, Outputs, Outputs, 1f,
                    gradOutput.SubView((long)(t + 1) * width, width), _recurrent.Value.View, 1f, gradOutput.SubView((long)t * width, width));
            _scan.Backward(context, gradOutput, t, 1);
        }
        if (_spikes is null || _spikes.Length < (long)context.Rows * Outputs)
        {
            _spikes?.Dispose();
            _spikes = _backend.Allocate<float>((long)context.Rows * Outputs);
        }
        _scan.Spikes(context, _spikes.View);
        ErrorModulation.Apply(context, gradOutput, Outputs);
        var shifted = (context.Steps - 1) * context.Batch;
        context.Gemm.Multiply(MatrixOp.Transpose, MatrixOp.None, Outputs, Outputs, shifted, 1f,
            gradOutput.SubView(width, (long)shifted * Outputs), _spikes.View, 0f, _recurrent.Gradient.View);
        LinearBackward.Run(context, _backend, input, gradOutput, gradInput, _weight, _bias, Inputs, Outputs);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _scan.Dispose();
        _weight.Dispose();
        _recurrent.Dispose();
        _bias.Dispose();
        _spikes?.Dispose();
    }
}
