using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Tests.Support;
using Xunit;

namespace SpikeSim.Tests.Neurons;

/// <summary>The Izhikevich neuron against a line-by-line transcription of the paper's MATLAB code.</summary>
public sealed class IzhikevichTests
{
    /// <summary>Izhikevich (2003/2007): detect (v ≥ 30) and reset at the start of each 1 ms step, then two 0.5 ms steps of v and one of u.</summary>
    private static List<int> Reference(Izhikevich p, float current, int steps)
    {
        float a = (float)p.A, b = (float)p.B, c = (float)p.C, d = (float)p.D;
        float v = c, u = b * v;
        var spikes = new List<int>();
        for (var t = 0; t < steps; t++)
        {
            if (v >= 30f)
            {
                spikes.Add(t);
                v = c;
                u = u + d;
            }
            v = v + 0.5f * ((0.04f * v + 5f) * v + 140f - u + current);
            v = v + 0.5f * ((0.04f * v + 5f) * v + 140f - u + current);
            u = u + a * (b * v - u);
        }
        return spikes;
    }

    [Theory]
    [InlineData(true, 10f)]
    [InlineData(false, 10f)]
    [InlineData(true, 4.5f)]
    public void At_dt_1_ms_the_spikes_are_those_of_the_papers_code(bool regular, float current)
    {
        var model = regular ? Izhikevich.RegularSpiking : Izhikevich.FastSpiking;
        var (network, neuron) = Probe.Single(model, current);
        var (_, spikes) = Probe.Run(network, neuron, null, 2000, 1.0);
        var expected = Reference(model, current, 2001);
        Assert.True(expected.Count > 10);
        // The paper's loop notices a crossing at the start of the next step.
        Assert.Equal(expected.Select(t => t - 1), spikes.SpikeSteps.ToArray());
    }

    [Fact]
    public void Regular_spiking_adapts_and_fast_spiking_fires_faster()
    {
        List<int> Steps(Izhikevich model)
        {
            var (network, neuron) = Probe.Single(model, 10f);
            var (_, spikes) = Probe.Run(network, neuron, null, 2000, 0.5);
            return spikes.SpikeSteps.ToArray().ToList();
        }
        var rs = Steps(Izhikevich.RegularSpiking);
        var fs = Steps(Izhikevich.FastSpiking);
        var rsIntervals = rs.Zip(rs.Skip(1), (x, y) => y - x).ToArray();
        Assert.True(rsIntervals[^1] > 1.5 * rsIntervals[0], $"RS intervals {rsIntervals[0]} → {rsIntervals[^1]} should lengthen");
        Assert.True(fs.Count > rs.Count, $"FS {fs.Count} spikes against RS {rs.Count}");
    }

    [Fact]
    public void Steps_longer_than_1_ms_are_refused()
        => Assert.Throws<InvalidParameterException>(() => Izhikevich.RegularSpiking.Discretize(2));
}
