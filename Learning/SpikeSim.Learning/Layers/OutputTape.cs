using ILGPU;
using SpikeSim.Learning.Layers.Kernels;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Learning.Layers;

/// <summary>
/// The tape of a layer without neurons (convolution, pooling, flatten): its whole output, 4 bytes per value, since
/// nothing smaller rebuilds it. Kept after the forward pass, copied back by <see cref="ILayer.RecomputeOutput"/>.
/// </summary>
internal sealed class OutputTape(IComputeBackend backend, int width) : IDisposable
{
    private DeviceBuffer<float>? _kept;

    /// <summary>Whether <see cref="Keep"/> keeps anything; off where nothing asks for the output again.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Keeps the first rows·width values of <paramref name="output"/> (where <see cref="Enabled"/>).</summary>
    public void Keep(in LayerContext context, ArrayView<float> output)
    {
        if (!Enabled)
        {
            _kept?.Dispose();
            _kept = null;
            return;
        }
        var cells = (long)context.Rows * width;
        if (_kept is null || _kept.Length < cells)
        {
            _kept?.Dispose();
            _kept = backend.Allocate<float>(cells);
        }
        backend.Launch(checked((int)cells), new CopyKernel(output.SubView(0, cells), _kept.View));
    }

    /// <summary>Writes the kept output into <paramref name="output"/>.</summary>
    public void Restore(in LayerContext context, ArrayView<float> output)
    {
        var cells = (long)context.Rows * width;
        if (_kept is null || _kept.Length < cells)
            throw new InvalidOperationException(Enabled ? "The layer has no output kept for this batch; run Forward first." : "The layer keeps no output: the next layer's backward pass does not read it.");
        backend.Launch(checked((int)cells), new CopyKernel(_kept.View, output.SubView(0, cells)));
    }

    public void Dispose() => _kept?.Dispose();
}
