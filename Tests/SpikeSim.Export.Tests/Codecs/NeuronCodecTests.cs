using CustomNeuron;
using SpikeSim.Export;
using SpikeSim.Export.Codecs;
using Node = SpikeSim.Export.Proto.Node;
using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Inputs;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Recording;
using SpikeSim.Simulator.Synapses;
using SpikeSim.Tests.Support;
using Xunit;

namespace SpikeSim.Tests.Export.Codecs;

/// <summary>
/// The neuron codec registry: the model file's writer and reader name no model, so a model added outside the library
/// (Examples/CustomNeuron's quadratic integrate-and-fire) is written and read by adding its codec.
/// </summary>
public sealed class NeuronCodecTests
{
    private static Network QifNetwork()
    {
        var network = new Network();
        var drive = network.AddPopulation("drive", 30, new PoissonSource(RateHz: 40));
        var qif = network.AddPopulation("qif", 12, new QuadraticIntegrateAndFire(TauMs: 8, VPeak: 25));
        network.Connect(drive, qif, new DenseConnectivity(30, 12, Enumerable.Range(0, 360).Select(k => (k % 5) / 3f).ToArray()), delayMs: 1);
        network.Inject(CurrentInput.Constant(qif, 2f));
        return network;
    }

    private static int[] Spikes(Network network)
    {
        using var simulation = new TimeStepSimulation(network, Probe.Host.Value, new TimeStepOptions(0.1, Seed: 4));
        var recorder = simulation.Observe(new SpikeRecorder(network.Populations.Single(p => p.Name == "qif")));
        simulation.RunSteps(3000);
        return [.. recorder.Neurons.ToArray().Zip(recorder.SpikeSteps.ToArray(), (n, s) => s * 100 + n)];
    }

    [Fact]
    public void A_model_outside_the_library_is_written_and_read_by_its_codec_with_the_same_spikes()
    {
        var codecs = ModelCodecs.BuiltIn.With(new QuadraticIntegrateAndFireCodec());
        var file = NetworkExporter.ToModelFile(QifNetwork(), 0.1, codecs: codecs);
        var node = file.Graph.Nodes.Single(n => n.Name == "qif");
        Assert.Equal(Node.KindOneofCase.CustomNeuron, node.KindCase);
        Assert.Equal("examples.qif", node.CustomNeuron.Model);
        Assert.Equal(25, node.CustomNeuron.Parameters["v_peak"]);
        var (read, _) = NetworkImporter.FromModelFile(ModelFileCodec.Decode(ModelFileCodec.Encode(file)), codecs);
        Assert.Equal(new QuadraticIntegrateAndFire(TauMs: 8, VPeak: 25), read.Populations.Single(p => p.Name == "qif").Model);
        var expected = Spikes(QifNetwork());
        Assert.True(expected.Length > 50, $"{expected.Length} spikes");
        Assert.Equal(expected, Spikes(read));
    }

    [Fact]
    public void Without_its_codec_a_model_is_refused_by_name_on_writing_and_on_reading()
    {
        Assert.Contains("QuadraticIntegrateAndFire, which no neuron codec writes",
            Assert.Throws<SpikeSimException>(() => NetworkExporter.ToModelFile(QifNetwork(), 0.1)).Message);
        var file = NetworkExporter.ToModelFile(QifNetwork(), 0.1, codecs: ModelCodecs.BuiltIn.With(new QuadraticIntegrateAndFireCodec()));
        Assert.Contains("custom neuron model 'examples.qif', which no registered codec reads",
            Assert.Throws<SpikeSimException>(() => NetworkImporter.FromModelFile(file)).Message);
        file.Graph.Nodes.Single(n => n.Name == "qif").CustomNeuron.Parameters.Remove("tau_ms");
        Assert.Contains("has no parameter 'tau_ms'", Assert.Throws<SpikeSimException>(() =>
            NetworkImporter.FromModelFile(file, ModelCodecs.BuiltIn.With(new QuadraticIntegrateAndFireCodec()))).Message);
    }

    /// <summary>A continuous-time model holding a reset at the next step is refused on writing, not written as TO_VALUE.</summary>
    [Fact]
    public void A_continuous_time_model_with_a_reset_at_the_next_step_is_refused_on_writing()
    {
        var network = new Network();
        network.AddPopulation("lif", 3, new Lif(Reset: ResetMode.SubtractAtNextStep));
        var error = Assert.Throws<InvalidParameterException>(() => NetworkExporter.ToModelFile(network, 0.1));
        Assert.Contains("not SubtractAtNextStep", error.Message);
    }

    [Fact]
    public void A_registry_refuses_two_codecs_for_one_model()
        => Assert.Throws<ArgumentException>(() => NeuronCodecs.BuiltIn.With(new LifCodec()));
}
