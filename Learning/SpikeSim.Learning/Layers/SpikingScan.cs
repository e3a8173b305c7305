using ILGPU;
using SpikeSim.Learning.Layers.Kernels;
using SpikeSim.Learning.Surrogates;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Learning.Layers;

/// <summary>
/// The neuron half of a spiking layer: the cell's constants, the margin tape (4 bytes per neuron-step,
/// the only thing kept for the backward pass), the carried state and adjoints, and the scan kernels
/// specialised for the surrogate. The layers own one each and do their linear algebra around it.
/// </summary>
internal sealed class SpikingScan : IDisposable
{
    private readonly IComputeBackend _backend;
    private readonly IScanLauncher _launch;
    private DeviceBuffer<float>? _margin, _u, _a, _s;

    public SpikingScan(IComputeBackend backend, ISpikingCell cell, SpikingOptions options, int neurons)
    {
        Validate.Positive(options.DtMs, nameof(options.DtMs));
        _backend = backend;
        Cell = cell;
        Options = options;
        Neurons = neurons;
        Constants = cell.Discretize(options.DtMs);
        if (cell.Reset == ResetMode.ZeroAtNextStep && options.Reset == ResetGradient.Propagated)
            throw new Simulator.Errors.InvalidParameterException("A propagated reset gradient needs the subtractive reset; with reset to zero the reset is detached.");
        _launch = ScanLauncher.For(options.Surrogate);
    }

    public ISpikingCell Cell { get; }
    public SpikingOptions Options { get; }
    public int Neurons { get; }
    public AdaptiveLifConstants Constants { get; }

    /// <summary>Allocates the tape for a batch and zeroes the state (u, a, s) before step 0.</summary>
    public void Begin(in LayerContext context)
    {
        var cells = (long)context.Rows * Neurons;
        if (_margin is null || _margin.Length < cells)
        {
            _margin?.Dispose();
            _margin = _backend.Allocate<float>(cells);
        }
        var width = (long)context.Batch * Neurons;
        if (_u is null || _u.Length < width)
        {
            _u?.Dispose(); _a?.Dispose(); _s?.Dispose();
            (_u, _a, _s) = (_backend.Allocate<float>(width), _backend.Allocate<float>(width), _backend.Allocate<float>(width));
        }
        _u.Clear(); _a!.Clear(); _s!.Clear();
    }

    /// <summary>Scans steps t0 … t0+count−1; <paramref name="currents"/> becomes the spikes in place.</summary>
    public void Forward(in LayerContext context, ArrayView<float> currents, ArrayView<float> bias, int t0, int count)
        => Forward(context, currents, currents, bias, t0, count);

    /// <summary>Scans steps t0 … t0+count−1 from <paramref name="currents"/>, writing the spikes to <paramref name="spikes"/>.</summary>
    public void Forward(in LayerContext context, ArrayView<float> currents, ArrayView<float> spikes, ArrayView<float> bias, int t0, int count)
        => _launch.Forward(_backend, currents, spikes, bias, _margin!.View, _u!.View, _a!.View, _s!.View, t0, count, context.Batch * Neurons, Neurons, Constants, Options.Forward);

    /// <summary>Zeroes the adjoints before the last step's backward scan.</summary>
    public void BeginBackward()
    {
        _u!.Clear();
        _a!.Clear();
    }

    /// <summary>Reverse-scans steps t0, t0−1, … (count of them); <paramref name="grad"/> turns from ∂L/∂s into ∂L/∂h in place.</summary>
    public void Backward(in LayerContext context, ArrayView<float> grad, int t0, int count)
        // The forward state buffers hold the adjoints gu, ga during the backward pass.
        => _launch.Backward(_backend, _margin!.View, grad, _u!.View, _a!.View, t0, count, context.Batch * Neurons, Constants, Options.Reset, Options.Forward);

    /// <summary>Rebuilds the spikes of the last forward pass from the margins.</summary>
    public void Spikes(in LayerContext context, ArrayView<float> spikes)
    {
        var cells = context.Rows * Neurons;
        _launch.Spikes(_backend, _margin!.View.SubView(0, cells), spikes.SubView(0, cells), Options.Forward);
    }

    public string Describe() => Cell switch
    {
        AlifCell a => $"ALIF(τ={a.TauMemMs:g} ms, τ_a={a.TauAdaptMs:g} ms, b={a.AdaptationStrength:g}, θ={a.VThreshold:g}",
        _ => $"LIF(τ={Cell.TauMemMs:g} ms, θ={Cell.VThreshold:g}",
    } + (Cell.Reset == ResetMode.ZeroAtNextStep ? ", reset to 0)" : ")") + $", {Training.OptionName.Of(Options.Surrogate.Kind)}({Options.Surrogate.Slope:g})";

    public void Dispose()
    {
        _margin?.Dispose(); _u?.Dispose(); _a?.Dispose(); _s?.Dispose();
    }

    private interface IScanLauncher
    {
        void Forward(IComputeBackend backend, ArrayView<float> currents, ArrayView<float> spikes, ArrayView<float> bias, ArrayView<float> margin,
            ArrayView<float> u, ArrayView<float> a, ArrayView<float> s, int t0, int count, int width, int neurons, AdaptiveLifConstants c, SpikeForward forward);

        void Backward(IComputeBackend backend, ArrayView<float> margin, ArrayView<float> grad, ArrayView<float> gu, ArrayView<float> ga,
            int t0, int count, int width, AdaptiveLifConstants c, ResetGradient reset, SpikeForward forward);

        void Spikes(IComputeBackend backend, ArrayView<float> margin, ArrayView<float> spikes, SpikeForward forward);
    }

    private sealed class ScanLauncher<TSurrogate>(TSurrogate surrogate) : IScanLauncher where TSurrogate : struct, ISurrogate
    {
        public void Forward(IComputeBackend backend, ArrayView<float> currents, ArrayView<float> spikes, ArrayView<float> bias, ArrayView<float> margin,
            ArrayView<float> u, ArrayView<float> a, ArrayView<float> s, int t0, int count, int width, int neurons, AdaptiveLifConstants c, SpikeForward forward)
            => backend.Launch(width, new SpikingScanForwardKernel<TSurrogate>(currents, bias, margin, spikes, u, a, s, t0, count, width, neurons, c, surrogate, forward));

        public void Backward(IComputeBackend backend, ArrayView<float> margin, ArrayView<float> grad, ArrayView<float> gu, ArrayView<float> ga,
            int t0, int count, int width, AdaptiveLifConstants c, ResetGradient reset, SpikeForward forward)
            => backend.Launch(width, new SpikingScanBackwardKernel<TSurrogate>(margin, grad, gu, ga, t0, count, width, c, surrogate, reset, forward));

        public void Spikes(IComputeBackend backend, ArrayView<float> margin, ArrayView<float> spikes, SpikeForward forward)
            => backend.Launch(margin.IntLength, new SpikesFromMarginKernel<TSurrogate>(margin, spikes, surrogate, forward));
    }

    private static class ScanLauncher
    {
        public static IScanLauncher For(Surrogate surrogate)
        {
            var visitor = new Visitor();
            surrogate.Accept(visitor);
            return visitor.Launcher!;
        }

        private sealed class Visitor : ISurrogateVisitor
        {
            public IScanLauncher? Launcher;
            public void Visit<TSurrogate>(TSurrogate surrogate) where TSurrogate : struct, ISurrogate => Launcher = new ScanLauncher<TSurrogate>(surrogate);
        }
    }
}
