using SpikeSim.Export;
using SpikeSim.Simulator.Plasticity;
using Xunit;

namespace SpikeSim.Tests.Export;

/// <summary>The Lava renderings of the STDP rules: the strings, traces and what cannot be expressed.</summary>
public sealed class LavaRuleTests
{
    [Fact]
    public void Additive_pair_stdp_is_lavas_stdp_with_traces_in_steps()
    {
        var rule = LavaRules.Pair(new PairStdp(APlus: 0.01, AMinus: 0.012, TauPlusMs: 20, TauMinusMs: 25), dtMs: 0.5);
        Assert.Equal("0.01*x1*y0 - 0.012*y1*x0", rule.Dw);
        Assert.Equal((1f, 40f, 1f, 50f, 1u), (rule.X1Impulse, rule.X1Tau, rule.Y1Impulse, rule.Y1Tau, rule.TEpoch));
        Assert.Empty(rule.Inexpressible);
    }

    [Fact]
    public void Multiplicative_pair_stdp_expands_into_sums_of_products()
    {
        var rule = LavaRules.Pair(new PairStdp(APlus: 0.5, AMinus: 0.25, WMin: 0.1, WMax: 2, Dependence: WeightDependence.Multiplicative), 1);
        // A₊·(W_max − w)·x1·y0 − A₋·(w − W_min)·y1·x0
        Assert.Equal("1*x1*y0 - 0.5*w*x1*y0 - 0.25*w*y1*x0 + 0.025*y1*x0", rule.Dw);
    }

    [Fact]
    public void Three_factor_stdp_keeps_eligibility_in_the_tag_and_the_modulator_in_y2()
    {
        var pair = new PairStdp(APlus: 0.01, AMinus: 0.012);
        var rule = LavaRules.ThreeFactor(new ThreeFactorStdp(pair, new Neuromodulator(TauNMs: 200), TauCMs: 1000, LearningRate: 2, B: 0.1), dtMs: 1);
        Assert.Equal($"0.01*x1*y0 - 0.012*y1*x0 - {(1 - Math.Exp(-1.0 / 1000)).ToString("G9", System.Globalization.CultureInfo.InvariantCulture)}*t", rule.Dt);
        Assert.Equal("2*y2*t - 0.2*t", rule.Dw);
        Assert.Equal((1f, 200f), (rule.Y2Impulse, rule.Y2Tau));
    }

    [Fact]
    public void Nearest_pairing_is_reported_as_inexpressible()
    {
        var rule = LavaRules.Pair(new PairStdp(Pairing: TracePairing.Nearest), 1);
        Assert.Empty(rule.Dw);
        Assert.Contains("nearest", rule.Inexpressible);
    }

    [Fact]
    public void Exported_networks_carry_the_rendering_beside_nests_parameters()
    {
        var file = NetworkExporter.ToModelFile(Support.EveryKindNetwork.Build(3), 0.1);
        var rules = file.Graph.Nodes.Where(n => n.Sparse?.Plasticity is not null).Select(n => n.Sparse.Plasticity).ToList();
        Assert.NotEmpty(rules);
        // The decomposed rule's per-neuron coefficients have no rendering in Lava's rule strings.
        Assert.All(rules.Where(r => r.RuleCase != SpikeSim.Export.Proto.Plasticity.RuleOneofCase.Decomposed), r => Assert.NotNull(r.PairStdp?.Lava ?? r.ThreeFactorStdp?.Lava));
    }
}

/// <summary>Nested subgraphs (NIR's "graph.node" addressing) and NIR primitives without a simulation counterpart.</summary>
public sealed class SubgraphTests
{
    [Fact]
    public void A_population_inside_a_subgraph_is_addressed_as_graph_dot_node_and_keeps_its_synapses()
    {
        var network = new SpikeSim.Simulator.Networks.Network();
        var a = network.AddPopulation("a", 6, new SpikeSim.Simulator.Neurons.Lif(VLeak: 3));
        var b = network.AddPopulation("b", 4, new SpikeSim.Simulator.Neurons.Lif());
        network.Connect(a, b, new SpikeSim.Simulator.Synapses.DenseConnectivity(6, 4, Enumerable.Range(0, 24).Select(i => (i % 5) / 8f).ToArray()));
        var file = NetworkExporter.ToModelFile(network, 0.1);
        // Move population "b" into a subgraph "g"; the projection's edge now addresses it as "g.b".
        var bNode = file.Graph.Nodes.Single(n => n.Name == "b");
        file.Graph.Nodes.Remove(bNode);
        var sub = new SpikeSim.Export.Proto.Graph();
        sub.Nodes.Add(bNode);
        file.Graph.Nodes.Add(new SpikeSim.Export.Proto.Node { Name = "g", Subgraph = sub });
        foreach (var e in file.Graph.Edges.Where(e => e.Target == "b")) e.Target = "g.b";
        var (imported, _) = NetworkImporter.FromModelFile(file);
        Assert.Equal(["a", "g.b"], imported.Populations.Select(p => p.Name).ToArray());
        Assert.Equal(((SpikeSim.Simulator.Synapses.DenseConnectivity)network.Projections[0].Connectivity).Weights,
            ((SpikeSim.Simulator.Synapses.DenseConnectivity)imported.Projections[0].Connectivity).Weights);
        Assert.Equal("g.b", imported.Projections[0].Target.Name);
    }

    [Fact]
    public void Nir_primitives_without_a_simulation_model_and_learned_plasticity_are_refused_by_name()
    {
        var file = NetworkExporter.ToModelFile(new SpikeSim.Simulator.Networks.Network(), 0.1);
        file.Graph.Nodes.Add(new SpikeSim.Export.Proto.Node { Name = "integrator", Size = 3, I = new SpikeSim.Export.Proto.I() });
        Assert.Contains("'integrator' is a NIR I", Assert.Throws<SpikeSim.Simulator.Errors.SpikeSimException>(() => NetworkImporter.FromModelFile(file)).Message);
    }
}
