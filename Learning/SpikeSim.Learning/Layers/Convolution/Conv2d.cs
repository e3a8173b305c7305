using SpikeSim.Simulator.Convolution.Kernels;
using SpikeSim.Simulator.Convolution;
using ILGPU;
using SpikeSim.Learning.Layers.Convolution.Kernels;
using SpikeSim.Learning.Layers.Kernels;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.LinearAlgebra;

namespace SpikeSim.Learning.Layers.Convolution;

/// <summary>
/// 2-D convolution (groups 1) of channels-last images: <c>y[c_o, oy, ox] = b[c_o] + Σ_{c,ky,kx} W[c_o, c, ky, kx]·x[c, oy·s − p + ky, ox·s − p + kx]</c>,
/// with W stored channels-last like the images, [C_out, k, k, C_in] (TensorFlow's OHWI; <see cref="WeightOihw"/> gives
/// PyTorch's and NIR's [C_out, C_in, k, k]), so that im2col copies whole kernel rows. Forward: im2col of a chunk of
/// rows and one GEMM (cols · Wᵀ gives pixels × channels, the channels-last output). Backward: ∂L/∂W = Σ G_chunkᵀ·cols_chunk,
/// ∂L/∂b = column sums of G, ∂L/∂x = col2im(G·W). Chunks bound the column matrix to <see cref="ColumnBudget"/> values.
/// A neuron layer (<see cref="SpikingActivation"/>) follows it, after pooling or not.
/// </summary>
public sealed class Conv2d : IOutputTapeLayer
{
    /// <summary>The most values of one chunk's column matrix (64 MB).</summary>
    public const int ColumnBudget = 1 << 24;

    private readonly IComputeBackend _backend;
    private readonly Parameter _weight, _bias;
    private readonly OutputTape _tape;
    private DeviceBuffer<float>? _columns;

    /// <summary>A convolution with weights N(0, σ²) from <see cref="WeightInit"/> at fan-in C_in·k·k, biases zero.</summary>
    public Conv2d(IComputeBackend backend, ConvGeometry geometry, WeightScale scale, Random random)
    {
        _backend = backend;
        Geometry = geometry;
        _weight = new Parameter(backend, "weight", geometry.Output.Channels, geometry.Kernel, geometry.Kernel, geometry.Input.Channels);
        _bias = new Parameter(backend, "bias", geometry.Output.Channels);
        var w = new float[_weight.Length];
        WeightInit.Gaussian(w, geometry.Columns, scale.Beta, scale.Threshold, scale.Gain, random);
        _weight.Value.CopyFrom(w);
        _tape = new OutputTape(backend, Outputs);
        Parameters = [_weight, _bias];
    }

    /// <summary>Input and output shapes, kernel, stride and padding.</summary>
    public ConvGeometry Geometry { get; }

    /// <summary>The weights in PyTorch's and NIR's layout [C_out, C_in, k, k].</summary>
    public float[] WeightOihw() => KernelLayout.ToOihw(_weight.Value.ToArray(), Geometry.Output.Channels, Geometry.Input.Channels, Geometry.Kernel);

    /// <summary>Sets the weights from PyTorch's and NIR's layout [C_out, C_in, k, k].</summary>
    public void SetWeightOihw(ReadOnlySpan<float> oihw)
        => _weight.Value.CopyFrom(KernelLayout.FromOihw(oihw, Geometry.Output.Channels, Geometry.Input.Channels, Geometry.Kernel));

    /// <inheritdoc />
    public int Inputs => Geometry.Input.Size;

    /// <inheritdoc />
    public int Outputs => Geometry.Output.Size;

    /// <inheritdoc />
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <inheritdoc />
    public int TapeBytesPerNeuronStep => sizeof(float);

    /// <inheritdoc />
    public string Describe() => $"Conv2d({Geometry.Input}→{Geometry.Output}, {Geometry.Kernel}×{Geometry.Kernel}, stride {Geometry.Stride}, padding {Geometry.Padding})";

    /// <inheritdoc />
    public void Forward(in LayerContext context, ArrayView<float> input, ArrayView<float> output)
    {
        int cout = Geometry.Output.Channels, pixels = Geometry.Output.Pixels, k = Geometry.Columns;
        var cells = (long)context.Rows * Outputs;
        _backend.Launch(checked((int)cells), new BroadcastRowsKernel(output.SubView(0, cells), _bias.Value.View, cout));
        foreach (var (r0, rows) in Chunks(context.Rows))
        {
            var cols = Columns(rows);
            _backend.Launch(rows * pixels * k, new Im2ColKernel(input, cols, Geometry, r0));
            context.Gemm.Multiply(MatrixOp.None, MatrixOp.Transpose, rows * pixels, cout, k, 1f, cols, _weight.Value.View, 1f,
                output.SubView((long)r0 * Outputs, (long)rows * Outputs));
        }
        _tape.Keep(context, output);
    }

    /// <inheritdoc />
    public void RecomputeOutput(in LayerContext context, ArrayView<float> output) => _tape.Restore(context, output);

    bool IOutputTapeLayer.KeepsOutput { get => _tape.Enabled; set => _tape.Enabled = value; }

    /// <inheritdoc />
    public void Backward(in LayerContext context, ArrayView<float> input, ArrayView<float> gradOutput, ArrayView<float> gradInput)
    {
        int cout = Geometry.Output.Channels, pixels = Geometry.Output.Pixels, k = Geometry.Columns;
        ErrorModulation.Apply(context, gradOutput, Outputs);
        var first = true;
        foreach (var (r0, rows) in Chunks(context.Rows))
        {
            var cols = Columns(rows);
            var g = gradOutput.SubView((long)r0 * Outputs, (long)rows * Outputs);
            _backend.Launch(rows * pixels * k, new Im2ColKernel(input, cols, Geometry, r0));
            context.Gemm.Multiply(MatrixOp.Transpose, MatrixOp.None, cout, k, rows * pixels, 1f, g, cols, first ? 0f : 1f, _weight.Gradient.View);
            first = false;
            if (gradInput.Length == 0) continue;
            context.Gemm.Multiply(MatrixOp.None, MatrixOp.None, rows * pixels, k, cout, 1f, g, _weight.Value.View, 0f, cols);
            _backend.Launch(rows * Inputs, new Col2ImKernel(cols, gradInput, Geometry, r0));
        }
        _backend.Launch(cout, new ColumnSumKernel(gradOutput.SubView(0, (long)context.Rows * Outputs), _bias.Gradient.View, context.Rows * pixels, cout));
    }

    /// <summary>Rows per chunk: as many as keep the column matrix within <see cref="ColumnBudget"/>, at least one.</summary>
    private IEnumerable<(int First, int Count)> Chunks(int rows)
    {
        var perChunk = Math.Clamp(ColumnBudget / ((long)Geometry.Output.Pixels * Geometry.Columns), 1, rows);
        for (var r0 = 0; r0 < rows; r0 += (int)perChunk) yield return (r0, (int)Math.Min(perChunk, rows - r0));
    }

    private ArrayView<float> Columns(int rows)
    {
        var cells = (long)rows * Geometry.Output.Pixels * Geometry.Columns;
        if (_columns is null || _columns.Length < cells)
        {
            _columns?.Dispose();
            _columns = _backend.Allocate<float>(cells);
        }
        return _columns.View.SubView(0, cells);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _weight.Dispose();
        _bias.Dispose();
        _tape.Dispose();
        _columns?.Dispose();
    }
}
