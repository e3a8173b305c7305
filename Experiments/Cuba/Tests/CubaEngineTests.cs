using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Recording;
using SpikeSim.Tests.Support;
using Xunit;

namespace SpikeSim.Experiments.Cuba.Tests;

/// <summary>The CUBA network in both engines.</summary>
public sealed class CubaEngineTests
{
    [Fact]
    public void Cuba_network_rates_agree_between_the_engines()
    {
        var rates = new[] { 1UL, 2UL }.Select(seed =>
        {
            var (network, neurons) = VogelsAbbottCuba.Build(2000, seed);
            var exact = new EventSimulation(network, new EventOptions(seed));
            var events = exact.Observe(new SpikeTimeRecorder(neurons));
            exact.Run(400);
            var (_, steps) = Probe.Run(network, neurons, null, 4000, 0.1);
            return (Event: events.Total, Step: steps.Total);
        }).ToArray();
        var eventMean = rates.Average(r => r.Event);
        var stepMean = rates.Average(r => r.Step);
        Assert.True(stepMean > 1000);
        Assert.InRange(eventMean, 0.9 * stepMean, 1.1 * stepMean);
    }
}
