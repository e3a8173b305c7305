using CustomRule;
using SpikeSim.Export;
using SpikeSim.Export.Codecs;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Plasticity;
using SpikeSim.Simulator.Synapses;
using SpikeSim.Tests.Support;
using Xunit;
using ProtoPlasticity = SpikeSim.Export.Proto.Plasticity;

namespace SpikeSim.Tests.Export.Codecs;

/// <summary>
/// Learning rules as strategies with codecs: a rule added outside the library (Examples/CustomRule's Vogels–Sprekeler
/// inhibitory STDP) runs in both engines through its hooks, and is written and read by adding its codec.
/// </summary>
public sealed class RuleCodecTests
{
    private const double Dt = 0.1;
    private static readonly VogelsSprekelerStdp Rule = new(Eta: 0.01, Alpha: 0.2, TauMs: 20, WMax: -1);

    /// <summary>
    /// One synapse of weight −0.5 from a source firing at <paramref name="preMs"/> onto a LIF that a second source makes
    /// fire at <paramref name="postMs"/>: the drive comes one step early in the time-step engine (its input is felt at
    /// the next step) and at that time in the event engine (delay 0 acts at once).
    /// </summary>
    private static (Network, Projection) Pair(double[] preMs, double[] postMs, IPlasticityRule rule, double driveLeadMs)
    {
        var network = new Network();
        var pre = network.AddPopulation("pre", 1, new SpikeTimeSource([.. preMs.Select(t => (0, t))]));
        var drive = network.AddPopulation("drive", 1, new SpikeTimeSource([.. postMs.Select(t => (0, t - driveLeadMs))]));
        var post = network.AddPopulation("post", 1, new Lif(TauMs: 10, VThreshold: 1));
        network.Connect(drive, post, new OneToOneConnectivity([5f]));
        return (network, network.Connect(pre, post, new SparseConnectivity(1, 1, [0, 1], [0], [-0.5f]), plasticity: rule));
    }

    private static float Final(ISimulationEngine engine, Projection plastic)
    {
        engine.Run(100);
        return engine.Weights(plastic)[0];
    }

    [Fact]
    public void The_custom_rule_changes_a_weight_as_its_equations_say_in_both_engines()
    {
        // pre at 10 ms (y = 0): |w| = 0.5 − η·α; post at 15 ms: |w| += η·e^(−5/20); pre at 30 ms: |w| += η·e^(−15/20) − η·α.
        var expected = -(0.5 - 0.01 * 0.2 + 0.01 * Math.Exp(-5.0 / 20) + 0.01 * Math.Exp(-15.0 / 20) - 0.01 * 0.2);
        var (stepNetwork, stepPlastic) = Pair([10, 30], [15], Rule, Dt);
        using var step = new TimeStepSimulation(stepNetwork, Probe.Host.Value, new TimeStepOptions(Dt));
        Assert.Equal(expected, Final(step, stepPlastic), 6);
        var (eventNetwork, eventPlastic) = Pair([10, 30], [15], Rule, 0);
        using var exact = new EventSimulation(eventNetwork, new EventOptions());
        Assert.Equal(expected, Final(exact, eventPlastic), 6);
    }

    [Fact]
    public void The_custom_rule_is_bounded_by_zero_and_W_max_with_W_max_s_sign()
    {
        var (network, plastic) = Pair([10], [], Rule with { Alpha = 100 }, Dt);
        using var depressed = new TimeStepSimulation(network, Probe.Host.Value, new TimeStepOptions(Dt));
        Assert.Equal(0f, Math.Abs(Final(depressed, plastic)));
        var (strong, strongPlastic) = Pair([10, 11, 12], [13], Rule with { Eta = 10, Alpha = 0, WMax = -0.7 }, Dt);
        using var potentiated = new TimeStepSimulation(strong, Probe.Host.Value, new TimeStepOptions(Dt));
        Assert.Equal(-0.7f, Final(potentiated, strongPlastic));
    }

    [Fact]
    public void Inhibitory_STDP_brings_driven_neurons_to_the_target_rate()
    {
        var (network, post, _) = InhibitoryBalance.Build(Rule with { Eta = 0.005 });
        using var simulation = new TimeStepSimulation(network, Probe.Host.Value, new TimeStepOptions(Dt, Seed: 5));
        var (early, late) = InhibitoryBalance.Rates(simulation, post, 12_000);
        Assert.True(early > 2 * Rule.TargetRateHz, $"early {early} Hz");
        Assert.InRange(late, 0.6 * Rule.TargetRateHz, 1.4 * Rule.TargetRateHz);
    }

    [Fact]
    public void The_custom_rule_runs_bit_identically_on_the_host_launcher_and_through_ILGPU()
    {
        using var emulator = IlgpuBackend.TryCreate(DeviceKind.IlgpuCpuEmulator)!;
        float[] Weights(IComputeBackend backend)
        {
            var (network, post, plastic) = InhibitoryBalance.Build(Rule);
            using var simulation = new TimeStepSimulation(network, backend, new TimeStepOptions(Dt, Seed: 2));
            InhibitoryBalance.Rates(simulation, post, 60);
            return simulation.Weights(plastic);
        }
        var host = Weights(Probe.Host.Value);
        Assert.Contains(host, w => w != -0.02f);
        Assert.Equal(host, Weights(emulator));
    }

    [Fact]
    public void A_rule_outside_the_library_is_written_and_read_by_its_codec()
    {
        var codecs = ModelCodecs.BuiltIn.With(new VogelsSprekelerStdpCodec());
        var (network, _, _) = InhibitoryBalance.Build(Rule);
        var file = NetworkExporter.ToModelFile(network, Dt, codecs: codecs);
        var plasticity = file.Graph.Nodes.Single(n => n.Sparse?.Plasticity is not null).Sparse.Plasticity;
        Assert.Equal(ProtoPlasticity.RuleOneofCase.Custom, plasticity.RuleCase);
        Assert.Equal("examples.vogels_sprekeler", plasticity.Custom.Rule);
        Assert.Equal(0.2, plasticity.Custom.Parameters["alpha"]);
        var (read, _) = NetworkImporter.FromModelFile(ModelFileCodec.Decode(ModelFileCodec.Encode(file)), codecs: codecs);
        Assert.Equal(Rule, read.Projections.Single(p => p.Plasticity is not null).Plasticity);
        Assert.Equal(ModelFileCodec.Encode(file).Length, ModelFileCodec.Encode(NetworkExporter.ToModelFile(read, Dt, codecs: codecs)).Length);
    }

    [Fact]
    public void Without_its_codec_a_rule_is_refused_by_name_on_writing_and_on_reading()
    {
        var (network, _, _) = InhibitoryBalance.Build(Rule);
        Assert.Contains("learns by VogelsSprekelerStdp, which no rule codec writes",
            Assert.Throws<SpikeSimException>(() => NetworkExporter.ToModelFile(network, Dt)).Message);
        var codecs = ModelCodecs.BuiltIn.With(new VogelsSprekelerStdpCodec());
        var file = NetworkExporter.ToModelFile(network, Dt, codecs: codecs);
        Assert.Contains("custom rule 'examples.vogels_sprekeler', which no registered codec reads",
            Assert.Throws<SpikeSimException>(() => NetworkImporter.FromModelFile(file)).Message);
        file.Graph.Nodes.Single(n => n.Sparse?.Plasticity is not null).Sparse.Plasticity.Custom.Parameters.Remove("tau_ms");
        Assert.Contains("has no parameter 'tau_ms'", Assert.Throws<SpikeSimException>(() => NetworkImporter.FromModelFile(file, codecs)).Message);
    }

    [Fact]
    public void The_built_in_rules_keep_their_schema_messages_and_a_registry_refuses_two_codecs_for_one_rule()
    {
        var network = new Network();
        var a = network.AddPopulation("a", 2, new Lif());
        var modulator = new Neuromodulator(TauNMs: 100);
        network.Connect(a, a, new SparseConnectivity(2, 2, [0, 1, 2], [1, 0], [0.1f, 0.2f]), delayMs: 1, plasticity: new PairStdp(APlus: 0.02));
        network.Connect(a, a, new SparseConnectivity(2, 2, [0, 1, 2], [1, 0], [0.1f, 0.2f]), delayMs: 1,
            plasticity: new ThreeFactorStdp(new PairStdp(), modulator, TauCMs: 500));
        var file = NetworkExporter.ToModelFile(network, Dt);
        var rules = file.Graph.Nodes.Where(n => n.Sparse?.Plasticity is not null).Select(n => n.Sparse.Plasticity).ToArray();
        Assert.Equal([ProtoPlasticity.RuleOneofCase.PairStdp, ProtoPlasticity.RuleOneofCase.ThreeFactorStdp], rules.Select(r => r.RuleCase));
        Assert.Equal("modulator_0", rules[1].ThreeFactorStdp.Modulator);
        var (read, _) = NetworkImporter.FromModelFile(file);
        Assert.Equal(network.Projections.Select(p => p.Plasticity), read.Projections.Select(p => p.Plasticity));
        Assert.Throws<ArgumentException>(() => RuleCodecs.BuiltIn.With(new PairStdpCodec()));
    }
}
