using ILGPU;

namespace SpikeSim.Learning.Layers;

/// <summary>
/// A trainable layer over all time steps of a batch at once. Inputs and outputs are
/// (steps·batch) × width row-major matrices (see <see cref="LayerContext"/>). A layer keeps only what
/// its backward pass needs (its "tape") and rebuilds its output from it on request.
/// </summary>
public interface ILayer : IDisposable
{
    /// <summary>Input width.</summary>
    int Inputs { get; }

    /// <summary>Output width (neurons).</summary>
    int Outputs { get; }

    /// <summary>Trainable parameters, in a fixed order.</summary>
    IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Bytes kept per neuron, step and sample for the backward pass.</summary>
    int TapeBytesPerNeuronStep { get; }

    /// <summary>A one-line description, e.g. "Linear(784→128) → LIF(τ=10 ms)".</summary>
    string Describe();

    /// <summary>Runs all steps: writes the output for <paramref name="input"/> and records the tape.</summary>
    void Forward(in LayerContext context, ArrayView<float> input, ArrayView<float> output);

    /// <summary>Writes the output of the last <see cref="Forward"/> again, from the tape.</summary>
    void RecomputeOutput(in LayerContext context, ArrayView<float> output);

    /// <summary>
    /// Whether <see cref="Backward"/> reads its input. Where it does not (neurons, pooling with its kept maxima, flatten),
    /// the network neither rebuilds the previous layer's output for it nor has that layer keep a tape of it.
    /// </summary>
    bool BackwardReadsInput => true;

    /// <summary>
    /// Back-propagates through all steps. <paramref name="gradOutput"/> holds ∂L/∂output and is used as
    /// workspace (overwritten); the parameters' gradients are set (not accumulated); ∂L/∂input is written to
    /// <paramref name="gradInput"/> unless it is empty (the first layer).
    /// </summary>
    void Backward(in LayerContext context, ArrayView<float> input, ArrayView<float> gradOutput, ArrayView<float> gradInput);
}

/// <summary>A layer whose outputs are spikes of its <see cref="Cell"/>s (dense, recurrent, or neurons after a convolution).</summary>
public interface ISpikingLayer : ILayer
{
    /// <summary>The neuron of every output.</summary>
    ISpikingCell Cell { get; }
}

/// <summary>
/// A layer whose only tape is its whole output (<see cref="OutputTape"/>); the network switches the tape off where the
/// next layer's backward pass does not read it.
/// </summary>
internal interface IOutputTapeLayer : ILayer
{
    /// <summary>Whether <see cref="ILayer.Forward"/> keeps the output for <see cref="ILayer.RecomputeOutput"/> (on by default).</summary>
    bool KeepsOutput { get; set; }
}
