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

    /// <summary>A model that resets only in the step of the spike, holding a reset at the next step, is refused on writing, not written as another reset.</summary>
    [Fact]
    public void A_model_without_a_next_step_reset_holding_one_is_refused_on_writing()
    {
        foreach (var model in new INeuronModel[] { new IntegrateAndFire(Reset: ResetMode.SubtractAtNextStep), new IntegrateAndFire(Reset: ResetMode.ZeroAtNextStep) })
        {
            var network = new Network();
            network.AddPopulation("n", 3, model);
            var error = Assert.Throws<InvalidParameterException>(() => NetworkExporter.ToModelFile(network, 0.1));
            Assert.Contains($"{model.GetType().Name} resets in the step of the spike", error.Message);
        }
    }

    private static Network DiscreteTimeNetwork()
    {
        var network = new Network();
        var drive = network.AddPopulation("drive", 20, new PoissonSource(RateHz: 60));
        var lif = network.AddPopulation("lif", 6, new Lif(5, R: 1, VLeak: 0, VThreshold: 0.8, VReset: 0, RefractoryMs: 0, ResetMode.ZeroAtNextStep, Integrator.DiscreteTime));
        var alif = network.AddPopulation("alif", 5, new AdaptiveLif(4, 30, 0.5, R: 1, VLeak: 0, VThreshold: 0.6, VReset: 0, RefractoryMs: 0, ResetMode.SubtractAtNextStep, Integrator.DiscreteTime));
        var li = network.AddPopulation("li", 3, new LeakyIntegrator(0.5, R: 1, VLeak: 0, Integrator.DiscreteTime)); // τ below dt: a decay of e^(−2)
        network.Connect(drive, lif, new DenseConnectivity(20, 6, Enumerable.Range(0, 120).Select(k => (k % 7) / 10f).ToArray()));
        network.Connect(lif, alif, new DenseConnectivity(6, 5, Enumerable.Range(0, 30).Select(k => (k % 4) / 5f).ToArray()));
        network.Connect(alif, li, new DenseConnectivity(5, 3, Enumerable.Range(0, 15).Select(k => (k % 3) / 2f).ToArray()));
        var cuba = network.AddPopulation("cuba", 4, new CubaLif(3, 2, 6, R: 0.7, VLeak: 0.1, VThreshold: 0.5, VReset: 0, RefractoryMs: 0, ResetMode.ZeroAtNextStep, Integrator.DiscreteTime));
        network.Connect(lif, cuba, new DenseConnectivity(6, 4, Enumerable.Range(0, 24).Select(k => (k % 5) / 4f).ToArray()));
        network.Inject(CurrentInput.Constant(alif, 0.05f));
        return network;
    }

    /// <summary>
    /// The trained layers' and NIR chains' neurons are the simulator's Lif, AdaptiveLif, LeakyIntegrator and CubaLif in discrete time: the file names
    /// their resets at the next step and their integrator, and reads them back as the same models with the same spikes.
    /// </summary>
    [Fact]
    public void Discrete_time_neurons_are_written_by_name_and_read_back_with_the_same_spikes()
    {
        var file = NetworkExporter.ToModelFile(DiscreteTimeNetwork(), 1.0);
        var lif = file.Graph.Nodes.Single(n => n.Name == "lif").Lif;
        Assert.Equal(SpikeSim.Export.Proto.ResetMode.ZeroNextStep, lif.Spiking.Reset);
        Assert.Equal(SpikeSim.Export.Proto.Integrator.DiscreteTime, lif.Integrator);
        Assert.Equal(SpikeSim.Export.Proto.ResetMode.SubtractNextStep, file.Graph.Nodes.Single(n => n.Name == "alif").Alif.Spiking.Reset);
        var (read, _) = NetworkImporter.FromModelFile(ModelFileCodec.Decode(ModelFileCodec.Encode(file)));
        foreach (var population in DiscreteTimeNetwork().Populations)
            Assert.Equal(population.Model, read.Populations.Single(p => p.Name == population.Name).Model);
        int[] Spikes(Network network, string name)
        {
            using var simulation = new TimeStepSimulation(network, Probe.Host.Value, new TimeStepOptions(1.0, Seed: 3));
            var recorder = simulation.Observe(new SpikeRecorder(network.Populations.Single(p => p.Name == name)));
            simulation.RunSteps(400);
            return [.. recorder.Neurons.ToArray().Zip(recorder.SpikeSteps.ToArray(), (n, s) => s * 100 + n)];
        }
        var expected = Spikes(DiscreteTimeNetwork(), "alif");
        Assert.True(expected.Length > 20, $"{expected.Length} spikes");
        Assert.Equal(expected, Spikes(read, "alif"));
        Assert.Equal(Spikes(DiscreteTimeNetwork(), "lif"), Spikes(read, "lif"));
        var cuba = Spikes(DiscreteTimeNetwork(), "cuba");
        Assert.NotEmpty(cuba);
        Assert.Equal(cuba, Spikes(read, "cuba"));
        var alone = new Network();
        alone.AddPopulation("lif", 4, DiscreteTimeNetwork().Populations.Single(p => p.Name == "lif").Model);
        Assert.Contains("Population 'lif' is a discrete-time neuron",
            Assert.Throws<SpikeSimException>(() => SpikeSim.Export.Nir.SimulationNir.FromNetwork(alone, 1.0)).Message);
    }

    [Fact]
    public void A_registry_refuses_two_codecs_for_one_model()
        => Assert.Throws<ArgumentException>(() => NeuronCodecs.BuiltIn.With(new LifCodec()));
}
