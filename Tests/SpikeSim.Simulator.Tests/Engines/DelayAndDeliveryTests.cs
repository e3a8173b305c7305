using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Synapses;
using SpikeSim.Tests.Support;
using Xunit;

namespace SpikeSim.Tests.Engines;

/// <summary>Synaptic delays land spikes in exactly the step they should, for every kind of projection.</summary>
public sealed class DelayAndDeliveryTests
{
    private const double Dt = 0.1;

    /// <summary>A source fires at 1.0 ms (step 10); a delta-synapse LIF with a huge weight fires in the step the event arrives.</summary>
    private static int ArrivalStep(Func<Connectivity> connectivity, double delayMs)
    {
        var network = new Network();
        var source = network.AddPopulation("in", 1, new SpikeTimeSource([(0, 1.0)]));
        var target = network.AddPopulation("out", 1, new Lif(TauMs: 10, VThreshold: 1));
        network.Connect(source, target, connectivity(), delayMs: delayMs);
        var (_, spikes) = Probe.Run(network, target, null, 200, Dt);
        Assert.Equal(1, spikes.Total);
        return spikes.SpikeSteps[0];
    }

    public static TheoryData<string, double, int> Cases() => new()
    {
        { "sparse", 0.0, 11 }, { "sparse", 0.1, 11 }, { "sparse", 1.5, 25 }, { "sparse", 0.14, 11 }, { "sparse", 0.16, 12 },
        { "dense", 0.0, 11 }, { "dense", 2.0, 30 },
        { "one-to-one", 0.0, 11 }, { "one-to-one", 0.7, 17 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_spike_with_delay_d_arrives_round_d_over_dt_steps_later_and_at_least_one(string kind, double delayMs, int expectedStep)
    {
        Func<Connectivity> make = kind switch
        {
            "sparse" => () => new SparseConnectivity(1, 1, [0, 1], [0], [5f]),
            "dense" => () => new DenseConnectivity(1, 1, [5f]),
            _ => () => new OneToOneConnectivity([5f]),
        };
        Assert.Equal(expectedStep, ArrivalStep(make, delayMs));
    }

    [Fact]
    public void Per_synapse_delays_deliver_each_synapse_on_its_own_step()
    {
        var network = new Network();
        var source = network.AddPopulation("in", 1, new SpikeTimeSource([(0, 1.0)]));
        var targets = network.AddPopulation("out", 4, new Lif(TauMs: 10, VThreshold: 1));
        network.Connect(source, targets, new SparseConnectivity(1, 4, [0, 4], [0, 1, 2, 3], [5f, 5f, 5f, 5f], [0.1f, 0.5f, 2.0f, 7.3f]));
        var (_, spikes) = Probe.Run(network, targets, null, 200, Dt);
        var arrival = new int[4];
        for (var k = 0; k < spikes.Count; k++) arrival[spikes.Neurons[k]] = spikes.SpikeSteps[k];
        Assert.Equal([11, 15, 30, 83], arrival);
    }

    [Fact]
    public void Events_arriving_together_add_up()
    {
        var network = new Network();
        var source = network.AddPopulation("in", 3, new SpikeTimeSource([(0, 1.0), (1, 1.0), (2, 0.8)]));
        var target = network.AddPopulation("out", 1, new LeakyIntegrator(TauMs: 1e6));
        network.Connect(source, target, new DenseConnectivity(3, 1, [0.25f, 0.5f, 2f]), delayMs: 0.2);
        network.Connect(source, target, new SparseConnectivity(3, 1, [0, 1, 1, 1], [0], [1f]), delayMs: 0.4);
        var (trace, _) = Probe.Run(network, target, LeakyIntegrator.V, 20, Dt);
        Assert.Equal(0f, trace[9][0], 4);
        Assert.Equal(2f, trace[10][0], 4);   // neuron 2 at 0.8 ms + 0.2 ms
        Assert.Equal(2.75f, trace[12][0], 4); // neurons 0 and 1 at 1.0 ms + 0.2 ms
        Assert.Equal(3.75f, trace[14][0], 4); // neuron 0 again through the sparse projection, 0.4 ms
    }
}
