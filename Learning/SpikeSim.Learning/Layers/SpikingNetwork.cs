using ILGPU;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.LinearAlgebra;

namespace SpikeSim.Learning.Layers;

/// <summary>
/// A stack of layers trained by backpropagation through time on one backend. It owns the GEMM and
/// four scratch matrices of the widest layer (two for the forward ping-pong, two for gradients); the
/// layers keep only their tapes, so the memory kept between forward and backward is
/// <see cref="TapeBytes"/>.
/// </summary>
public sealed class SpikingNetwork : IDisposable
{
    private readonly List<ILayer> _layers;
    private readonly DeviceBuffer<float>?[] _scratch = new DeviceBuffer<float>?[4];
    private LayerContext _context;
    private ArrayView<float> _input;
    private int _outputScratch = -1;

    /// <summary>
    /// Wraps <paramref name="layers"/> (owned from now on); each layer's input width must match the previous output.
    /// <paramref name="gemm"/> (owned) replaces the backend's own GEMM (a benchmark records the products through it).
    /// </summary>
    public SpikingNetwork(IComputeBackend backend, IEnumerable<ILayer> layers, IGemm? gemm = null)
    {
        Backend = backend;
        _layers = layers.ToList();
        if (_layers.Count == 0) throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        for (var i = 1; i < _layers.Count; i++)
            if (_layers[i].Inputs != _layers[i - 1].Outputs)
                throw new ArgumentException($"Layer {i} takes {_layers[i].Inputs} inputs but layer {i - 1} gives {_layers[i - 1].Outputs}.", nameof(layers));
        Gemm = gemm ?? SpikeSim.Simulator.LinearAlgebra.Gemm.For(backend);
        // A layer keeps its output only where the next one reads it again; the last layer's output is the network's.
        for (var i = 0; i < _layers.Count; i++)
            if (_layers[i] is IOutputTapeLayer tape) tape.KeepsOutput = i + 1 == _layers.Count || _layers[i + 1].BackwardReadsInput;
    }

    /// <summary>The backend every layer runs on.</summary>
    public IComputeBackend Backend { get; }

    /// <summary>The backend's GEMM.</summary>
    public IGemm Gemm { get; }

    /// <summary>The layers, input first.</summary>
    public IReadOnlyList<ILayer> Layers => _layers;

    /// <summary>Input width.</summary>
    public int Inputs => _layers[0].Inputs;

    /// <summary>Output width (classes).</summary>
    public int Outputs => _layers[^1].Outputs;

    /// <summary>Every trainable parameter, layer by layer.</summary>
    public IEnumerable<Parameter> Parameters => _layers.SelectMany(l => l.Parameters);

    /// <summary>Bytes the layers keep for the backward pass at the last batch's geometry.</summary>
    public long TapeBytes => _layers.Sum(l => (long)l.TapeBytesPerNeuronStep * l.Outputs * _context.Rows);

    /// <summary>Bytes kept per neuron-step (tape bytes over neurons × steps × samples).</summary>
    public double TapeBytesPerNeuronStep => (double)_layers.Sum(l => (long)l.TapeBytesPerNeuronStep * l.Outputs) / _layers.Sum(l => l.Outputs);

    /// <summary>
    /// Runs all layers over <paramref name="steps"/> × <paramref name="batch"/> input rows
    /// (row t·batch + b, <see cref="Inputs"/> columns) and returns the output matrix (valid until the next call).
    /// </summary>
    public ArrayView<float> Forward(ArrayView<float> input, int steps, int batch)
    {
        if (steps < 1 || batch < 1) throw new ArgumentOutOfRangeException(nameof(steps), "steps and batch must be at least 1.");
        if (input.Length < (long)steps * batch * Inputs) throw new ArgumentException($"The input holds {input.Length} values; {steps}×{batch}×{Inputs} are needed.", nameof(input));
        _context = new LayerContext(Backend, Gemm, steps, batch);
        EnsureScratch();
        _input = input;
        var current = input;
        for (var i = 0; i < _layers.Count; i++)
        {
            var output = Scratch(i % 2);
            _layers[i].Forward(_context, current, output);
            current = output;
        }
        _outputScratch = (_layers.Count - 1) % 2;
        return current.SubView(0, (long)_context.Rows * Outputs);
    }

    /// <summary>
    /// Back-propagates <paramref name="gradOutput"/> (∂L/∂output, same layout as the output) through the
    /// last <see cref="Forward"/> and sets every parameter's gradient. <paramref name="errorFactors"/>, where
    /// given, holds one per-neuron factor buffer per layer (see <see cref="LayerContext.ErrorFactors"/>).
    /// </summary>
    public void Backward(ReadOnlySpan<float> gradOutput, IReadOnlyList<DeviceBuffer<float>>? errorFactors = null)
    {
        if (errorFactors is not null && errorFactors.Count != _layers.Count)
            throw new ArgumentException($"{errorFactors.Count} factor buffers for {_layers.Count} layers.", nameof(errorFactors));
        if (_outputScratch < 0) throw new InvalidOperationException("Backward needs a Forward first.");
        var cells = _context.Rows * Outputs;
        if (gradOutput.Length != cells) throw new ArgumentException($"The output gradient has {gradOutput.Length} values; {cells} expected.", nameof(gradOutput));
        var grad = 2;
        _scratch[grad]!.CopyFrom(gradOutput);
        for (var i = _layers.Count - 1; i >= 0; i--)
        {
            ArrayView<float> input;
            if (i == 0) input = _input;
            else if (!_layers[i].BackwardReadsInput) input = default;
            else
            {
                input = Scratch(0);
                _layers[i - 1].RecomputeOutput(_context, input);
            }
            var gradInput = i == 0 ? default : Scratch(5 - grad);
            var context = errorFactors is null ? _context : _context with { ErrorFactors = errorFactors[i].View };
            _layers[i].Backward(context, input, Scratch(grad), gradInput);
            grad = 5 - grad;
        }
        _outputScratch = -1;
    }

    private ArrayView<float> Scratch(int i) => _scratch[i]!.View;

    private void EnsureScratch()
    {
        var cells = (long)_context.Rows * _layers.Max(l => l.Outputs);
        for (var i = 0; i < _scratch.Length; i++)
        {
            if (_scratch[i] is { } s && s.Length >= cells) continue;
            _scratch[i]?.Dispose();
            _scratch[i] = Backend.Allocate<float>(cells);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var l in _layers) l.Dispose();
        foreach (var s in _scratch) s?.Dispose();
        Gemm.Dispose();
    }
}
