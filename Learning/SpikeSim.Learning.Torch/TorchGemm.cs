using System.Diagnostics;
using static TorchSharp.torch;

namespace SpikeSim.Learning.Torch;

/// <summary>libtorch's float matrix product, timed the way <c>spikesim bench gemm</c> times SpikeSim's.</summary>
public static class TorchGemm
{
    /// <summary>Median seconds of <paramref name="repeats"/> products of two n×n matrices (after a warm-up), on <paramref name="threads"/> threads.</summary>
    public static double MedianSeconds(int n, int repeats, int threads)
    {
        set_num_threads(threads);
        using var scope = NewDisposeScope();
        var a = rand(n, n);
        var b = rand(n, n);
        a.matmul(b).Dispose();
        var times = new List<double>();
        for (var i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            a.matmul(b).Dispose();
            times.Add(clock.Elapsed.TotalSeconds);
        }
        return times.Order().ElementAt(times.Count / 2);
    }
}
