using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Synapses;
using Xunit;

namespace SpikeSim.Tests.Synapses;

/// <summary>A dense projection's two layouts: source-major inside the engines, target-major ([out, in]) in feeds and files.</summary>
public sealed class DenseLayoutTests
{
    [Fact]
    public void Target_major_weights_are_read_as_out_by_in_and_written_back_unchanged()
    {
        // 2 sources, 3 targets; [out, in] row j holds target j's weights from sources 0 and 1.
        float[] outByIn = [1, 2, 3, 4, 5, 6];
        var c = DenseConnectivity.FromTargetMajor(2, 3, outByIn);
        Assert.Equal(new float[] { 1, 3, 5, 2, 4, 6 }, c.Weights); // Weights[source·Targets + target]
        Assert.Equal(outByIn, c.TargetMajor());
        Assert.Equal(new float[] { 0.1f, 0.3f, 0.5f, 0.2f, 0.4f, 0.6f }, DenseConnectivity.FromTargetMajor(2, 3, outByIn, 0.1).Weights);
        Assert.Throws<InvalidParameterException>(() => DenseConnectivity.FromTargetMajor(2, 2, outByIn));
    }
}
