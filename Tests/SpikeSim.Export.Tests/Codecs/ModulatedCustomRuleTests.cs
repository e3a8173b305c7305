using SpikeSim.Export;
using SpikeSim.Export.Codecs;
using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Plasticity;
using SpikeSim.Simulator.Synapses;
using SpikeSim.Tests.Support;
using Xunit;

namespace SpikeSim.Tests.Export.Codecs;

/// <summary>
/// A rule outside the library that reads a neuromodulator: its codec writes the rule's parameters and the
/// neuromodulator (τ_n, the population that releases it, the release per spike) by the file's name for it, so rules
/// that share one neuromodulator share it again after reading, and the read network learns as the written one.
/// </summary>
public sealed class ModulatedCustomRuleTests
{
    /// <summary>A weight that drifts with the neuromodulator's level: w ← w + rate·n every step (rate per step).</summary>
    public sealed record GatedDrift(double Rate, Neuromodulator? Modulator) : ITimeStepRule<GatedDrift.Step>
    {
        /// <inheritdoc />
        public Step Discretize(double dtMs) => new((float)Rate);

        /// <summary>The rule for one step.</summary>
        public readonly record struct Step(float Rate) : IRuleStep
        {
            public float PreDecay => 0f;

            public float PostDecay => 0f;

            public TracePairing Pairing => TracePairing.AllToAll;

            public bool HasEligibility => false;

            public bool StepsEverySynapse => true;

            public void OnPreSpike(ref float weight, ref float eligibility, float postTrace) { }

            public void OnPostSpike(ref float weight, ref float eligibility, float preTrace) { }

            public bool ReadsSites => false;

            public bool BeginsEachStep => false;

            public void BeginStep(ILGPU.ArrayView<float> postTrace) { }

            public void OnStep(ref float weight, ref float eligibility, SynapseSite site, float modulator) => weight += Rate * modulator;

            public void OnStepRow(in SynapseRow row, Span<float> weight, Span<float> eligibility, float modulator)
            {
                for (var i = 0; i < weight.Length; i++) weight[i] += Rate * modulator;
            }
        }
    }

    private sealed class GatedDriftCodec : CustomRuleCodec<GatedDrift>
    {
        public override string Name => "tests.gated_drift";

        protected override IEnumerable<(string Name, double Value)> Parameters(GatedDrift rule) => [("rate", rule.Rate)];

        protected override GatedDrift FromParameters(Func<string, double> get) => new(get("rate"), null);

        protected override GatedDrift WithModulator(GatedDrift rule, Neuromodulator modulator, string projection) => rule with { Modulator = modulator };
    }

    /// <summary>Two projections learning by the rule from one neuromodulator, released by a source's spike at 10 ms.</summary>
    private static Network Build()
    {
        var network = new Network();
        var release = network.AddPopulation("release", 1, new SpikeTimeSource([(0, 10.0)]));
        var pre = network.AddPopulation("pre", 2, new SpikeTimeSource([(0, 5.0), (1, 7.0)]));
        var post = network.AddPopulation("post", 2, new Lif(TauMs: 10, VThreshold: 1));
        var dopamine = new Neuromodulator(TauNMs: 50, Source: release, PerSpike: 1);
        network.Connect(pre, post, new SparseConnectivity(2, 2, [0, 1, 2], [0, 1], [0.1f, 0.2f]), plasticity: new GatedDrift(1e-3, dopamine));
        network.Connect(post, post, new SparseConnectivity(2, 2, [0, 1, 2], [1, 0], [0.3f, 0.4f]), plasticity: new GatedDrift(-2e-3, dopamine));
        return network;
    }

    private static float[] Learnt(Network network)
    {
        using var simulation = new TimeStepSimulation(network, Probe.Host.Value, new TimeStepOptions(0.1));
        simulation.Run(100.0);
        return [.. network.Projections.Where(p => p.Plasticity is not null).SelectMany(simulation.Weights)];
    }

    [Fact]
    public void A_custom_rule_s_neuromodulator_is_written_and_read_with_it_and_shared_as_before()
    {
        var codecs = ModelCodecs.BuiltIn.With(new GatedDriftCodec());
        var network = Build();

        var learnt = Learnt(network);
        Assert.True(learnt[0] > 0.1f + 1e-3f, $"the neuromodulator moved the weights only to {string.Join(", ", learnt)}");
        var file = NetworkExporter.ToModelFile(network, 0.1, codecs: codecs);
        var custom = file.Graph.Nodes.Where(n => n.Sparse?.Plasticity is not null).Select(n => n.Sparse.Plasticity.Custom).ToList();
        Assert.All(custom, c => Assert.Equal(("modulator_0", 50.0, "release", 1.0), (c.Modulator, c.TauNMs, c.ModulatorSource, c.PerSpike)));
        var (read, _) = NetworkImporter.FromModelFile(ModelFileCodec.Decode(ModelFileCodec.Encode(file)), codecs: codecs);
        var rules = read.Projections.Where(p => p.Plasticity is not null).Select(p => (GatedDrift)p.Plasticity!).ToList();
        Assert.Same(rules[0].Modulator, rules[1].Modulator);
        Assert.Equal("release", rules[0].Modulator!.Source!.Name);
        Assert.Equal(learnt, Learnt(read));
    }

    [Fact]
    public void A_file_that_gives_a_neuromodulator_to_a_rule_that_reads_none_is_refused_naming_the_projection()
    {
        var codecs = ModelCodecs.BuiltIn.With(new CustomRule.VogelsSprekelerStdpCodec());
        var (network, _, _) = CustomRule.InhibitoryBalance.Build(new CustomRule.VogelsSprekelerStdp());
        var file = NetworkExporter.ToModelFile(network, 0.1, codecs: codecs);
        var node = file.Graph.Nodes.Single(n => n.Sparse?.Plasticity is not null);
        node.Sparse.Plasticity.Custom.Modulator = "modulator_0";
        var error = Assert.Throws<SpikeSimException>(() => NetworkImporter.FromModelFile(file, codecs)).Message;
        Assert.Contains($"Projection '{node.Name}'", error);
        Assert.Contains("reads no neuromodulator", error);
    }
}
