using ILGPU;
using SpikeSim.Learning.Layers.Kernels;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Learning.Layers;

/// <summary>
/// A layer of neurons alone: the scan of an <see cref="ISpikingCell"/> (LIF or ALIF) with h[t] = its input x[t], no
/// weights and no bias — what follows a convolution or a pooling layer, whose outputs are the neurons' currents.
/// Its tape is the margins, 4 bytes per neuron-step, as in <see cref="SpikingLinear"/>.
/// </summary>
public sealed class SpikingActivation : ISpikingLayer
{
    private readonly IComputeBackend _backend;
    private readonly SpikingScan _scan;
    private readonly DeviceBuffer<float> _noBias;

    /// <summary>A layer of <paramref name="neurons"/> cells.</summary>
    public SpikingActivation(IComputeBackend backend, int neurons, ISpikingCell cell, SpikingOptions options)
    {
        Validate.AtLeast(neurons, 1, nameof(neurons));
        _backend = backend;
        _scan = new SpikingScan(backend, cell, options, neurons);
        _noBias = backend.Allocate<float>(neurons);
        _noBias.Clear();
    }

    /// <inheritdoc />
    public int Inputs => _scan.Neurons;

    /// <inheritdoc />
    public int Outputs => _scan.Neurons;

    /// <inheritdoc />
    public IReadOnlyList<Parameter> Parameters => [];

    /// <summary>The cell.</summary>
    public ISpikingCell Cell => _scan.Cell;

    /// <summary>Its decay β and threshold θ at the layer's dt, and the options' gain: what the weights before it scale by.</summary>
    public WeightScale WeightScale => new(_scan.Constants.MembraneDecay, _scan.Constants.Threshold, _scan.Options.InitGain);

    /// <inheritdoc />
    public int TapeBytesPerNeuronStep => sizeof(float);

    /// <inheritdoc />
    public string Describe() => $"{_scan.Describe()} × {Outputs}";

    /// <inheritdoc />
    public void Forward(in LayerContext context, ArrayView<float> input, ArrayView<float> output)
    {
        _scan.Begin(context);
        _scan.Forward(context, input, output, _noBias.View, 0, context.Steps);
    }

    /// <inheritdoc />
    public void RecomputeOutput(in LayerContext context, ArrayView<float> output) => _scan.Spikes(context, output);

    /// <inheritdoc />
    public bool BackwardReadsInput => false;

    /// <inheritdoc />
    public void Backward(in LayerContext context, ArrayView<float> input, ArrayView<float> gradOutput, ArrayView<float> gradInput)
    {
        _scan.BeginBackward();
        _scan.Backward(context, gradOutput, context.Steps - 1, context.Steps);
        ErrorModulation.Apply(context, gradOutput, Outputs);
        if (gradInput.Length > 0)
        {
            var cells = context.Rows * Outputs;
            _backend.Launch(cells, new CopyKernel(gradOutput.SubView(0, cells), gradInput));
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _scan.Dispose();
        _noBias.Dispose();
    }
}
