using SpikeSim.Learning.Layers;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Tests.Support;

/// <summary>The output of a trained network on a fixed, seeded random batch: for comparing a network with its exported copy.</summary>
public static class NetworkOutputs
{
    public static float[] OnRandomBatch(SpikingNetwork network, IComputeBackend backend, int steps, int batch)
    {
        var rng = new Random(5);
        var input = Enumerable.Range(0, steps * batch * network.Inputs).Select(_ => (float)rng.NextDouble()).ToArray();
        using var x = backend.Allocate<float>(input.Length);
        x.CopyFrom(input);
        var output = network.Forward(x.View, steps, batch);
        var y = new float[output.Length];
        ILGPU.Runtime.ArrayViewExtensions.CopyToCPU(output, y);
        return y;
    }
}
