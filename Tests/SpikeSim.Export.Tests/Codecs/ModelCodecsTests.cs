using SpikeSim.Export;
using SpikeSim.Export.Codecs;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Inputs;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Synapses;
using Xunit;

namespace SpikeSim.Tests.Export.Codecs;

/// <summary>The model file's writer and reader go through the codec registry for every node kind: one missing is a refusal naming the node.</summary>
public sealed class ModelCodecsTests
{
    private static Network Network()
    {
        var network = new Network();
        var a = network.AddPopulation("a", 3, new Lif());
        var b = network.AddPopulation("b", 3, new Lif());
        network.Connect(a, b, new DenseConnectivity(3, 3, [1, 2, 3, 4, 5, 6, 7, 8, 9]), delayMs: 1);
        network.Connect(b, a, new SparseConnectivity(3, 3, [0, 1, 2, 3], [2, 0, 1], [0.5f, 0.25f, 0.125f]), delayMs: 2);
        network.Inject(new PoissonInput(a, 20, 0.3f));
        network.Inject(CurrentInput.Constant(b, 0.5f));
        return network;
    }

    private static ModelCodecs Without<T>(ModelCodecs codecs) => new(codecs.Neurons, codecs.Rules,
        codecs.Projections.Where(c => c is not T), codecs.Inputs.Where(c => c is not T));

    [Fact]
    public void Every_node_kind_goes_through_its_codec_and_reads_back_the_same_network()
    {
        var file = NetworkExporter.ToModelFile(Network(), 0.1);
        var (read, _) = NetworkImporter.FromModelFile(file);
        Assert.Equal(ModelFileCodec.Encode(file).Length, ModelFileCodec.Encode(NetworkExporter.ToModelFile(read, 0.1)).Length);
        Assert.Equal(["input#0->b", "input#1->a"], file.Graph.Nodes.Where(n => n.Name.StartsWith("input")).Select(n => n.Name));
        Assert.IsType<SparseConnectivity>(read.Projections[1].Connectivity);
        Assert.Equal(20, read.PoissonInputs.Single().RateHz);
    }

    [Fact]
    public void A_kind_without_its_codec_is_refused_naming_the_node_on_writing_and_on_reading()
    {
        Assert.Contains("The input into 'a' is PoissonInput, which no input codec writes",
            Assert.Throws<SpikeSimException>(() => NetworkExporter.ToModelFile(Network(), 0.1, codecs: Without<PoissonInputCodec>(ModelCodecs.BuiltIn))).Message);
        Assert.Contains("Projection 'b->a#1' is SparseConnectivity, which no projection codec writes",
            Assert.Throws<SpikeSimException>(() => NetworkExporter.ToModelFile(Network(), 0.1, codecs: Without<SparseProjectionCodec>(ModelCodecs.BuiltIn))).Message);
        var file = NetworkExporter.ToModelFile(Network(), 0.1);
        Assert.Contains("Node 'b->a#1' is of a kind this SpikeSim does not know (Sparse)",
            Assert.Throws<SpikeSimException>(() => NetworkImporter.FromModelFile(file, Without<SparseProjectionCodec>(ModelCodecs.BuiltIn))).Message);
    }

    [Fact]
    public void A_registry_refuses_two_codecs_for_one_kind()
    {
        var b = ModelCodecs.BuiltIn;
        Assert.Throws<ArgumentException>(() => new ModelCodecs(b.Neurons, b.Rules, b.Projections.Append(new LinearProjectionCodec()), b.Inputs));
        Assert.Throws<ArgumentException>(() => new ModelCodecs(b.Neurons, b.Rules, b.Projections, b.Inputs.Append(new NoiseCurrentCodec())));
        Assert.Throws<ArgumentException>(() => b.With(new LifCodec()));
    }
}
