using SpikeSim.Learning.Layers;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Learning.Optimizers;

/// <summary>Gradient-norm clipping: if ‖g‖₂ over all parameters exceeds the maximum, every gradient is scaled by max/‖g‖₂.</summary>
public static class GradientClipping
{
    /// <summary>Clips in place and returns the norm before clipping.</summary>
    public static double ClipByNorm(IComputeBackend backend, IEnumerable<Parameter> parameters, double maxNorm)
    {
        var list = parameters.ToList();
        double sum = 0;
        foreach (var p in list)
            foreach (var g in p.Gradient.HostSpanOrCopy()[..p.Length]) sum += (double)g * g;
        var norm = Math.Sqrt(sum);
        if (norm > maxNorm && norm > 0)
        {
            var scale = (float)(maxNorm / norm);
            foreach (var p in list) backend.Launch(p.Length, new ScaleKernel(p.Gradient.View, scale));
        }
        return norm;
    }
}
