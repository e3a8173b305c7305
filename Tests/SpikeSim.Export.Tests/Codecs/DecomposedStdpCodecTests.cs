using SpikeSim.Export;
using SpikeSim.Export.Proto;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Neurons;
using SpikeSim.Simulator.Plasticity;
using SpikeSim.Simulator.Synapses;
using Xunit;

namespace SpikeSim.Tests.Export.Codecs;

/// <summary>
/// The decomposed rule in a simulation network's model file: written as a <c>DecomposedRule</c> in the ELIGIBILITY form
/// with every number, read back equal; the forms and files the engines cannot run are refused by name.
/// (ModelFileTests round-trips it inside the every-kind network and runs both to the same weights.)
/// </summary>
public sealed class DecomposedStdpCodecTests
{
    private static readonly DecomposedStdp Rule = new(
        new DecomposedRuleValues([0.5f, -1f], [0.25f, 2f, -0.75f], [0.1f, 0.2f], [0.3f, 0.4f, 0.5f], [1f, 2f], [3f, 4f, 5f], [-1f, -2f], [0f, 1f, 0f], [0.6f, -0.6f], 0.125f),
        UpdateIntervalMs: 5, TauCMs: 10, LearningRate: 0.04, WMin: -4, WMax: 4, PreTauMs: 7, PostTauMs: 3);

    private static ModelFile Written()
    {
        var network = new Network();
        var pre = network.AddPopulation("pre", 3, new SpikeSim.Simulator.Neurons.PoissonSource(10));
        var post = network.AddPopulation("post", 2, new SpikeSim.Simulator.Neurons.Lif());
        network.Connect(pre, post, new SparseConnectivity(3, 2, [0, 2, 3, 4], [0, 1, 1, 0], [0.1f, 0.2f, 0.3f, 0.4f]), delayMs: 1, plasticity: Rule);
        return NetworkExporter.ToModelFile(network, 0.5);
    }

    private static DecomposedRule Message(ModelFile file) => file.Graph.Nodes.Single(n => n.Sparse?.Plasticity is not null).Sparse.Plasticity.Decomposed;

    [Fact]
    public void The_rule_is_written_in_the_eligibility_form_and_read_back_equal()
    {
        var file = Written();
        var message = Message(file);
        Assert.Equal(DecomposedForm.Eligibility, message.Form);
        Assert.Equal((7.0, 3.0), (message.PreTraceTauMs, message.PostTraceTauMs));
        var read = (DecomposedStdp)NetworkImporter.FromModelFile(file).Network.Projections.Single().Plasticity!;
        Assert.Equal(Rule with { Coefficients = null! }, read with { Coefficients = null! });
        foreach (var (a, b) in Vectors(Rule.Coefficients).Zip(Vectors(read.Coefficients))) Assert.Equal(a, b);
        Assert.Equal(Rule.Coefficients.ModulationBias, read.Coefficients.ModulationBias);

        static IEnumerable<float[]> Vectors(DecomposedRuleValues v) => [v.APost, v.APre, v.BPost, v.BPre, v.CPost, v.CPre, v.DPost, v.DPre, v.ModulationWeight];
    }

    [Fact]
    public void The_direct_form_a_file_without_the_traces_time_constants_and_a_short_vector_are_refused_by_name()
    {
        var direct = Written();
        Message(direct).Form = DecomposedForm.Direct;
        Assert.Contains("in the Direct form (the rate agents'), which the simulation engines do not run",
            Assert.Throws<SpikeSimException>(() => NetworkImporter.FromModelFile(direct)).Message);
        var old = Written();
        Message(old).PreTraceTauMs = 0;
        Assert.Contains("without its traces' time constants (a file before format 1.9)", Assert.Throws<SpikeSimException>(() => NetworkImporter.FromModelFile(old)).Message);
        var shortVector = Written();
        Message(shortVector).CPre = Tensors.F32([1f, 2f], 2);
        Assert.Contains("c_pre", Assert.Throws<SpikeSimException>(() => NetworkImporter.FromModelFile(shortVector)).Message);
    }
}
