using ILGPU;
using ILGPU.Runtime;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Learning.Layers.Kernels;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.LinearAlgebra;

namespace SpikeSim.Learning.Layers;

/// <summary>
/// Linear → leaky-integrator readout (NIR's LI without a leak potential): y[t] = β·y[t−1] + W·x[t] + bias,
/// β = e^(−Δt/τ). Its membrane y is the network's output, which the losses read (its max or last step).
/// It keeps y as its tape (4 bytes per neuron-step); its backward scan needs nothing stored.
/// </summary>
public sealed class LeakyReadout : ILayer
{
    private readonly Parameter _weight, _bias;
    private readonly IComputeBackend _backend;
    private readonly LeakyIntegratorConstants _membrane;
    private DeviceBuffer<float>? _y;

    /// <summary>Creates the readout with time constant <paramref name="tauMemMs"/>.</summary>
    public LeakyReadout(IComputeBackend backend, int inputs, int outputs, double tauMemMs, double dtMs, float initGain, Random random)
    {
        Validate.AtLeast(inputs, 1, nameof(inputs));
        Validate.AtLeast(outputs, 1, nameof(outputs));
        Validate.Positive(tauMemMs, nameof(tauMemMs));
        Validate.Positive(dtMs, nameof(dtMs));
        _backend = backend;
        Inputs = inputs;
        Outputs = outputs;
        TauMemMs = tauMemMs;
        _membrane = Neuron(tauMemMs).Discretize(dtMs);
        _weight = new Parameter(backend, "weight", outputs, inputs);
        _bias = new Parameter(backend, "bias", outputs);
        var w = new float[_weight.Length];
        WeightInit.Gaussian(w, inputs, _membrane.Decay, 1f, initGain, random);
        _weight.Value.CopyFrom(w);
        Parameters = [_weight, _bias];
    }

    /// <summary>Membrane time constant in ms.</summary>
    public double TauMemMs { get; }

    /// <summary>
    /// The simulator's neuron a readout of time constant <paramref name="tauMemMs"/> is: a <see cref="LeakyIntegrator"/> in
    /// discrete time with R = 1 and v_leak = 0 (its bias enters as a current of gain 1), whose step the forward scan calls.
    /// </summary>
    public static LeakyIntegrator Neuron(double tauMemMs) => new(tauMemMs, R: 1, VLeak: 0, Integrator.DiscreteTime);

    /// <inheritdoc />
    public int Inputs { get; }

    /// <inheritdoc />
    public int Outputs { get; }

    /// <inheritdoc />
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <inheritdoc />
    public int TapeBytesPerNeuronStep => sizeof(float);

    /// <inheritdoc />
    public string Describe() => $"Linear({Inputs}→{Outputs}) → LI(τ={TauMemMs:g} ms)";

    /// <inheritdoc />
    public void Forward(in LayerContext context, ArrayView<float> input, ArrayView<float> output)
    {
        var cells = (long)context.Rows * Outputs;
        if (_y is null || _y.Length < cells)
        {
            _y?.Dispose();
            _y = _backend.Allocate<float>(cells);
        }
        context.Gemm.Multiply(MatrixOp.None, MatrixOp.Transpose, context.Rows, Outputs, Inputs, 1f, input, _weight.Value.View, 0f, output);
        _backend.Launch(context.Batch * Outputs, new LeakyScanForwardKernel(output, _bias.Value.View, output, context.Steps, context.Batch * Outputs, Outputs, _membrane));
        _y.View.SubView(0, cells).CopyFrom(output.SubView(0, cells));
    }

    /// <inheritdoc />
    public void RecomputeOutput(in LayerContext context, ArrayView<float> output)
    {
        var cells = (long)context.Rows * Outputs;
        output.SubView(0, cells).CopyFrom(_y!.View.SubView(0, cells));
    }

    /// <inheritdoc />
    public void Backward(in LayerContext context, ArrayView<float> input, ArrayView<float> gradOutput, ArrayView<float> gradInput)
    {
        _backend.Launch(context.Batch * Outputs, new LeakyScanBackwardKernel(gradOutput, context.Steps, context.Batch * Outputs, _membrane.Decay));
        ErrorModulation.Apply(context, gradOutput, Outputs);
        LinearBackward.Run(context, _backend, input, gradOutput, gradInput, _weight, _bias, Inputs, Outputs);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _weight.Dispose();
        _bias.Dispose();
        _y?.Dispose();
    }
}
