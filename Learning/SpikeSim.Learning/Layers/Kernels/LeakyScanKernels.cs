using ILGPU;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Learning.Layers.Kernels;

/// <summary>
/// Forward scan of the leaky-integrator readout, y[t] = β·y[t−1] + h[t] + bias, y[−1] = 0 — the
/// <see cref="LeakyIntegrator.Step"/> of the readout's discrete-time membrane, the bias its current —
/// one index per (sample, neuron) pair over all steps (layout as in <see cref="SpikingScanForwardKernel{TSurrogate}"/>).
/// </summary>
public readonly struct LeakyScanForwardKernel(ArrayView<float> h, ArrayView<float> bias, ArrayView<float> y, int steps, int width, int neurons, LeakyIntegratorConstants membrane) : IRangeKernel
{
    private readonly ArrayView<float> _h = h, _bias = bias, _y = y;
    private readonly int _steps = steps, _width = width, _neurons = neurons;
    private readonly LeakyIntegratorConstants _membrane = membrane;

    /// <inheritdoc />
    public void Execute(int j)
    {
        var bias = _bias[j % _neurons];
        var y = 0f;
        for (var t = 0; t < _steps; t++)
        {
            var i = (long)t * _width + j;
            y = LeakyIntegrator.Step(y, _membrane, _h[i], bias);
            _y[i] = y;
        }
    }

    /// <inheritdoc />
    public void ExecuteRange(int start, int end)
    {
        // Readouts are narrow (a few classes × batch): per-index order is fine here.
        Span<float> h = _h.AsSpan(), b = _bias.AsSpan(), out_ = _y.AsSpan();
        for (var j = start; j < end; j++)
        {
            var bias = b[j % _neurons];
            var y = 0f;
            for (var t = 0; t < _steps; t++)
            {
                var i = t * _width + j;
                y = LeakyIntegrator.Step(y, _membrane, h[i], bias);
                out_[i] = y;
            }
        }
    }
}

/// <summary>Reverse scan of the readout, in place: g[t] = ∂L/∂y[t] + β·g[t+1] (= ∂L/∂h[t]).</summary>
public readonly struct LeakyScanBackwardKernel(ArrayView<float> grad, int steps, int width, float beta) : IRangeKernel
{
    private readonly ArrayView<float> _grad = grad;
    private readonly int _steps = steps, _width = width;
    private readonly float _beta = beta;

    /// <inheritdoc />
    public void Execute(int j)
    {
        var g = 0f;
        for (var t = _steps - 1; t >= 0; t--)
        {
            var i = (long)t * _width + j;
            g = _grad[i] + _beta * g;
            _grad[i] = g;
        }
    }

    /// <inheritdoc />
    public void ExecuteRange(int start, int end)
    {
        var grad = _grad.AsSpan();
        for (var j = start; j < end; j++)
        {
            var g = 0f;
            for (var t = _steps - 1; t >= 0; t--)
            {
                var i = t * _width + j;
                g = grad[i] + _beta * g;
                grad[i] = g;
            }
        }
    }
}
