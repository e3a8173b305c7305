using Google.Protobuf;
using SpikeSim.Export;
using SpikeSim.Export.Proto;
using FileVariant = SpikeSim.Export.Proto.BackpropamineVariant;
using SpikeSim.Learning.Plasticity;
using SpikeSim.Experiments.Backpropamine;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Errors;
using Xunit;

namespace SpikeSim.Experiments.Backpropamine.Tests;

/// <summary>A spiking Backpropamine network written to the model file and read back gives the same outputs, step by step.</summary>
public sealed class BackpropamineAgentFileTests
{
    private const int Hidden = 7, Batch = 3, Steps = 40;

    /// <summary>A network with values large enough that it spikes and that P changes its recurrent current.</summary>
    private static SpikingPlasticRnn Network(IComputeBackend backend, SpikingPlasticVariant variant, SpikingPlasticSettings settings, CueRewardTask task, int seed)
    {
        var network = new SpikingPlasticRnn(backend, task.InputSize, Hidden, 2, Batch, Steps, variant, settings, seed);
        var random = new Random(seed);
        float[] Draw(int length, double scale) => Enumerable.Range(0, length).Select(_ => (float)(scale * (2 * random.NextDouble() - 1))).ToArray();
        var v = network.Values();
        network.Load(v with
        {
            InputWeight = Draw(v.InputWeight.Length, 1.5), Bias = Draw(Hidden, 0.5), RecurrentWeight = Draw(Hidden * Hidden, 1),
            Alpha = Draw(Hidden * Hidden, 2), Eta = 0.7f, ReadoutWeight = Draw(v.ReadoutWeight.Length, 1), ReadoutBias = Draw(v.ReadoutBias.Length, 1),
        });
        return network;
    }

    /// <summary>The policy and value columns of every step on the task's observations (the same each call for the same seed).</summary>
    private static float[] Run(SpikingPlasticRnn network, int taskSeed)
    {
        var task = new CueRewardTask(Batch, 2, (ulong)taskSeed);
        task.Reset();
        network.Begin();
        var heads = new float[Batch * network.Heads];
        var kept = new List<float>();
        var actions = new long[Batch];
        for (var t = 0; t < Steps; t++)
        {
            network.Step(task.Observe(), heads);
            for (var b = 0; b < Batch; b++)
            {
                kept.AddRange(heads.AsSpan(b * network.Heads, network.Actions + 1).ToArray());
                actions[b] = (t + b) % 3 == 0 ? 1 : 0;
            }
            task.Act(actions);
        }
        return kept.ToArray();
    }

    private static ModelFile RoundTrip(ModelFile file) => ModelFile.Parser.ParseFrom(file.ToByteArray());

    public static TheoryData<string, TraceStep> Variants => new()
    {
        { "none", TraceStep.Rate }, { "plastic", TraceStep.Rate }, { "modulated", TraceStep.Rate }, { "modulated", TraceStep.Count },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void The_network_read_back_gives_the_same_policy_and_value_at_every_step(string variantName, TraceStep traceStep)
    {
        using var backend = new HostBackend(threads: 1);
        var variant = SpikingPlasticVariant.All.Single(v => v.Name == variantName);
        var settings = new SpikingPlasticSettings(MembraneTauSteps: 4f, TraceTauSteps: 6f, Threshold: 0.8f, SurrogateSlope: 3f, TraceStep: traceStep);
        using var network = Network(backend, variant, settings, new CueRewardTask(Batch, 2, 1), seed: 5);
        var file = RoundTrip(BackpropamineAgentFile.ToModelFile(network, new TrainedAgent { Task = "cue-reward", Cues = 2, Episodes = 9 }));
        var (read, record) = BackpropamineAgentFile.Read(file, backend, Batch, Steps);
        using (read)
        {
            Assert.Equal(("cue-reward", 9u, 3f), (record.Task, record.Episodes, record.SurrogateSlope));
            Assert.Equal(settings, read.Settings);
            Assert.Equal(variant, read.Variant);
            var expected = Run(network, 11);
            Assert.Contains(expected, v => v != expected[0]);
            Assert.Equal(expected, Run(read, 11));
        }
        var rule = file.Graph.Nodes.Single(n => n.Name == "recurrent").Affine.Plasticity?.Backpropamine;
        if (!variant.IsPlastic)
        {
            Assert.Null(rule);
            return;
        }
        // The rule holds α and the modulator row of the readout; the readout keeps the policy and value rows.
        var values = network.Values();
        Assert.Equal(values.Alpha, rule!.Alpha.F32);
        Assert.Equal(values.ReadoutWeight[(3 * Hidden)..], rule.ModulatorWeight.F32);
        Assert.Equal(variant.IsModulated ? FileVariant.Modulated : FileVariant.Plastic, rule.Variant);
        Assert.Equal(3 * Hidden, file.Graph.Nodes.Single(n => n.Name == "readout").Affine.Weight.F32.Count);
    }

    [Fact]
    public void The_plastic_part_matters_so_losing_alpha_would_be_seen()
    {
        using var backend = new HostBackend(threads: 1);
        var settings = new SpikingPlasticSettings(MembraneTauSteps: 4f, TraceTauSteps: 6f, Threshold: 0.8f);
        using var network = Network(backend, new ModulatedSpiking(), settings, new CueRewardTask(Batch, 2, 1), seed: 5);
        var file = RoundTrip(BackpropamineAgentFile.ToModelFile(network, new TrainedAgent { Task = "cue-reward" }));
        file.Graph.Nodes.Single(n => n.Name == "recurrent").Affine.Plasticity.Backpropamine.Alpha.F32.Clear();
        file.Graph.Nodes.Single(n => n.Name == "recurrent").Affine.Plasticity.Backpropamine.Alpha.F32.AddRange(new float[Hidden * Hidden]);
        var (withoutAlpha, _) = BackpropamineAgentFile.Read(file, backend, Batch, Steps);
        using (withoutAlpha) Assert.NotEqual(Run(network, 11), Run(withoutAlpha, 11));
    }

    [Fact]
    public void Files_that_are_not_this_network_are_refused()
    {
        using var backend = new HostBackend(threads: 1);
        using var network = Network(backend, new ModulatedSpiking(), new SpikingPlasticSettings(), new CueRewardTask(Batch, 2, 1), seed: 5);
        var file = RoundTrip(BackpropamineAgentFile.ToModelFile(network, new TrainedAgent { Task = "cue-reward" }));
        SpikeSimException Refused(Action<ModelFile> change)
        {
            var changed = file.Clone();
            change(changed);
            return Assert.Throws<SpikeSimException>(() => BackpropamineAgentFile.Read(changed, backend, Batch, Steps).Network.Dispose());
        }
        Node Get(ModelFile f, string name) => f.Graph.Nodes.Single(n => n.Name == name);
        Assert.Contains("1 − e^(−1/τ_trace)", Refused(f => Get(f, "trace_step").Scale.Scale_.F32[0] = 0.5f).Message);
        Assert.Contains("no Retroactive variant", Refused(f => Get(f, "recurrent").Affine.Plasticity.Backpropamine.Variant = FileVariant.Retroactive).Message);
        Assert.Contains("reset by subtraction", Refused(f => Get(f, "lif_h").Lif.Spiking.Reset = ResetMode.ToValue).Message);
        Assert.Contains("dt", Refused(f => f.Dt = 0.5).Message);
        Assert.Contains("no trained agent", Refused(f => f.TrainedAgent = null).Message);
        Assert.Contains("zero bias", Refused(f => Get(f, "recurrent").Affine.Bias.F32[0] = 1).Message);
    }
}
