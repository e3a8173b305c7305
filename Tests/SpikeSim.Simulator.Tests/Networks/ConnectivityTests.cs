using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Random;
using SpikeSim.Simulator.Synapses;
using Xunit;

namespace SpikeSim.Tests.Networks;

/// <summary>Random connectivity builders: statistics, reproducibility, constraints, and bad input.</summary>
public sealed class ConnectivityTests
{
    [Fact]
    public void Fixed_probability_makes_a_binomial_number_of_synapses()
    {
        const int n = 2000;
        const double p = 0.05;
        var c = Connect.FixedProbability(n, n, p, Connect.Constant(1f), new Xoshiro256(5));
        var mean = (double)n * n * p;
        var sd = Math.Sqrt(n * (double)n * p * (1 - p));
        Assert.InRange(c.SynapseCount, mean - 5 * sd, mean + 5 * sd);
        // Each row is sorted and every target occurs at most once per row (Bernoulli per pair).
        for (var i = 0; i < n; i++)
        {
            var row = c.TargetIndex[c.RowStart[i]..c.RowStart[i + 1]];
            Assert.Equal(row.Order().Distinct(), row);
        }
        // Targets are uniform: each decile of the target range holds about a tenth.
        var deciles = c.TargetIndex.GroupBy(t => t * 10 / n).Select(g => g.Count()).ToArray();
        Assert.All(deciles, count => Assert.InRange(count, c.SynapseCount / 10 * 0.95, c.SynapseCount / 10 * 1.05));
    }

    [Fact]
    public void The_same_seed_builds_the_same_network_and_another_seed_another()
    {
        var a = Connect.FixedProbability(300, 200, 0.1, r => (float)r.NextDouble(), new Xoshiro256(9));
        var b = Connect.FixedProbability(300, 200, 0.1, r => (float)r.NextDouble(), new Xoshiro256(9));
        var c = Connect.FixedProbability(300, 200, 0.1, r => (float)r.NextDouble(), new Xoshiro256(10));
        Assert.Equal(a.TargetIndex, b.TargetIndex);
        Assert.Equal(a.Weights, b.Weights);
        Assert.NotEqual(a.TargetIndex, c.TargetIndex);
    }

    [Fact]
    public void Autapses_are_excluded_when_asked()
    {
        var c = Connect.FixedProbability(100, 100, 1.0, Connect.Constant(1f), new Xoshiro256(1), allowAutapses: false);
        Assert.Equal(100 * 99, c.SynapseCount);
        for (var i = 0; i < 100; i++) Assert.DoesNotContain(i, c.TargetIndex[c.RowStart[i]..c.RowStart[i + 1]]);
    }

    [Fact]
    public void Only_the_chosen_source_rows_connect()
    {
        var c = Connect.FixedProbability(100, 50, 0.5, Connect.Constant(1f), new Xoshiro256(1), connectedSources: 80..);
        for (var i = 0; i < 80; i++) Assert.Equal(c.RowStart[i], c.RowStart[i + 1]);
        Assert.True(c.SynapseCount > 0);
    }

    [Fact]
    public void Fixed_in_degree_gives_every_target_exactly_k_inputs()
    {
        var c = Connect.FixedInDegree(500, 300, 25, Connect.Constant(1f), new Xoshiro256(2), allowAutapses: false);
        var inDegree = new int[300];
        for (var i = 0; i < 500; i++)
            for (var s = c.RowStart[i]; s < c.RowStart[i + 1]; s++)
            {
                inDegree[c.TargetIndex[s]]++;
                Assert.NotEqual(i, c.TargetIndex[s]);
            }
        Assert.All(inDegree, d => Assert.Equal(25, d));
    }

    [Fact]
    public void Bad_connectivity_is_refused_with_a_clear_message()
    {
        var network = new Network();
        var a = network.AddPopulation("a", 3, new Lif());
        var b = network.AddPopulation("b", 2, new Lif());
        Assert.Throws<InvalidParameterException>(() => network.Connect(a, b, new DenseConnectivity(2, 3, new float[6])));
        Assert.Throws<InvalidParameterException>(() => network.Connect(a, b, new DenseConnectivity(3, 2, [0, 0, float.NaN, 0, 0, 0])));
        Assert.Throws<InvalidParameterException>(() => network.Connect(a, b, new DenseConnectivity(3, 2, new float[6]), channel: 1));
        Assert.Throws<InvalidParameterException>(() => network.Connect(a, b, new SparseConnectivity(3, 2, [0, 1, 1, 1], [5], [1f])));
        Assert.Throws<InvalidParameterException>(() => network.Connect(a, b, new DenseConnectivity(3, 2, new float[6]), delayMs: -1));
        Assert.Throws<InvalidParameterException>(() => Connect.FixedProbability(3, 3, 1.5, Connect.Constant(1f), new Xoshiro256(1)));
        Assert.Throws<InvalidParameterException>(() => network.AddPopulation("a", 4, new Lif()));
        Assert.Throws<InvalidParameterException>(() => network.AddPopulation("empty", 0, new Lif()));
    }
}
