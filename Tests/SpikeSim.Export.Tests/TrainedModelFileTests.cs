using Google.Protobuf;
using SpikeSim.Export;
using SpikeSim.Simulator.Convolution;
using SpikeSim.Export.Proto;
using SpikeSim.Learning.Data;
using SpikeSim.Learning.Encoders;
using SpikeSim.Learning.Layers;
using SpikeSim.Learning.Losses;
using SpikeSim.Learning.Optimizers;
using SpikeSim.Learning.Quantisation;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Errors;
using SpikeSim.Tests.Support;
using Xunit;
using ResetMode = SpikeSim.Simulator.Neurons.ResetMode;
using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Tests.Export;

/// <summary>Trained classifiers in the model file, and their quantisation for hardware targets.</summary>
public sealed class TrainedModelFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("spikesim-trained-").FullName;
    private static readonly TaskData Data = new(YinYang.Generate(500, 42), null, YinYang.Generate(300, 40));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Train(SnnModelSpec spec, string name)
    {
        var options = new TrainingOptions(10, 3, 25, 4, LossKind.CeMax, EncoderKind.Current, OptimizerKind.Adam, new OptimizerSettings(4e-3f));
        using var backend = new HostBackend();
        TrainingSession.Run(backend, TaskKind.YinYang, Data, spec, options, Path.Combine(_dir, name), resume: false);
        return Path.Combine(_dir, name);
    }

    private static readonly SnnModelSpec FeedForward = new(4, [24, 12], 3);

    /// <summary>The checkpoint's header and its network with the trained weights (the caller disposes it).</summary>
    private static (CheckpointHeader Header, SpikingNetwork Network) Restored(string checkpoint, HostBackend backend)
    {
        var header = Checkpoint.ReadHeader(checkpoint);
        var network = header.Model.Build(backend, 0);
        Checkpoint.Restore(checkpoint, network, null);
        return (header, network);
    }

    [Theory]
    [InlineData("tau", "tau_ms = -1")]
    [InlineData("r", "r = -Infinity")]
    [InlineData("refractory", "refractory_ms = -1")]
    [InlineData("threshold", "v_threshold = NaN")]
    [InlineData("readout-tau", "tau_ms = 0")]
    public void Neuron_values_the_trained_cells_cannot_have_are_refused_naming_node_and_field(string damage, string message)
    {
        var checkpoint = Train(FeedForward, "values");
        using var backend = new HostBackend();
        var (header, network) = Restored(checkpoint, backend);
        using var _ = network;
        var file = TrainedModelFile.ToModelFile(header, network);
        var hidden = file.Graph.Nodes.First(n => n.KindCase == Node.KindOneofCase.Lif);
        var readout = file.Graph.Nodes.First(n => n.KindCase == Node.KindOneofCase.Li);
        switch (damage)
        {
            case "tau": hidden.Lif.TauMs = -1; break;
            case "r": hidden.Lif.R = double.NegativeInfinity; break;
            case "refractory": hidden.Lif.Spiking.RefractoryMs = -1; break;
            case "threshold": hidden.Lif.Spiking.VThreshold = double.NaN; break;
            case "readout-tau": readout.Li.TauMs = 0; break;
        }
        var error = Assert.Throws<SpikeSimException>(() => TrainedModelFile.Read(TrainedModelFile.Parse(ModelFileCodec.Encode(file)), backend));
        Assert.Contains(damage == "readout-tau" ? $"'{readout.Name}'" : $"'{hidden.Name}'", error.Message);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_cycle_in_the_layer_chain_is_refused_instead_of_followed_forever()
    {
        var checkpoint = Train(FeedForward, "cycle");
        using var backend = new HostBackend();
        var (header, network) = Restored(checkpoint, backend);
        using var _ = network;
        var file = TrainedModelFile.ToModelFile(header, network);
        var firstAffine = file.Graph.Edges.Single(e => e.Source == "input").Target;
        var firstNeuron = file.Graph.Edges.Single(e => e.Source == firstAffine).Target;
        file.Graph.Edges.Single(e => e.Source == firstNeuron).Target = firstAffine; // hidden layer 0 feeds its own affine again
        var error = Assert.Throws<SpikeSimException>(() => TrainedModelFile.Read(TrainedModelFile.Parse(ModelFileCodec.Encode(file)), backend));
        Assert.Contains("comes back to node", error.Message);
    }

    [Theory]
    [InlineData(false, HiddenCell.Lif, ResetMode.SubtractAtNextStep)]
    [InlineData(true, HiddenCell.Alif, ResetMode.ZeroAtNextStep)]
    public void Export_then_import_gives_the_same_outputs(bool recurrent, HiddenCell cell, ResetMode reset)
    {
        var spec = FeedForward with { Recurrent = recurrent, Cell = cell, Reset = reset };
        var checkpoint = Train(spec, $"{recurrent}{cell}");
        using var backend = new HostBackend();
        var (header, original) = Restored(checkpoint, backend);
        using var _ = original;
        var bytes = ModelFileCodec.Encode(TrainedModelFile.ToModelFile(header, original));
        var (readSpec, imported, record) = TrainedModelFile.Read(TrainedModelFile.Parse(bytes), backend);
        using (imported)
        {
            Assert.Equal(header.Model.ToString(), readSpec.ToString());
            Assert.Equal(reset, readSpec.Reset);
            Assert.Equal("yinyang", record.Task);
            Assert.Equal(NetworkOutputs.OnRandomBatch(original, backend, 10, 4), NetworkOutputs.OnRandomBatch(imported, backend, 10, 4));
        }
        var simulatorError = Assert.Throws<SpikeSimException>(() => NetworkImporter.FromBytes(bytes));
        Assert.Contains("trained classifier", simulatorError.Message);
        // The file names the reset's timing and the discrete time of the cells (the simulator's Lif or AdaptiveLif, written
        // by its codec). Files of format 1.9 or older wrote the cells integrated "exactly" and the reset to zero as TO_VALUE;
        // 1.4 or older the next-step subtraction as SUBTRACT: such a file reads as the same cells with the same outputs.
        var written = TrainedModelFile.Parse(bytes);
        var cells = written.Graph.Nodes.Where(n => n.Lif is not null || n.Alif is not null).ToList();
        var spiking = cells[0].Lif?.Spiking ?? cells[0].Alif.Spiking;
        Assert.Equal(reset == ResetMode.ZeroAtNextStep ? SpikeSim.Export.Proto.ResetMode.ZeroNextStep : SpikeSim.Export.Proto.ResetMode.SubtractNextStep, spiking.Reset);
        Assert.All(cells, n => Assert.Equal(SpikeSim.Export.Proto.Integrator.DiscreteTime, n.Lif?.Integrator ?? n.Alif.Integrator));
        foreach (var node in cells)
        {
            (node.Lif?.Spiking ?? node.Alif.Spiking).Reset = reset == ResetMode.ZeroAtNextStep ? SpikeSim.Export.Proto.ResetMode.ToValue : SpikeSim.Export.Proto.ResetMode.Subtract;
            if (node.Lif is not null) node.Lif.Integrator = SpikeSim.Export.Proto.Integrator.ExactExponential;
            else node.Alif.Integrator = SpikeSim.Export.Proto.Integrator.ExactExponential;
        }
        foreach (var node in written.Graph.Nodes.Where(n => n.Li is not null)) node.Li.Integrator = SpikeSim.Export.Proto.Integrator.ExactExponential;
        written.Header.Minor = 4;
        var (older, olderNetwork, _) = TrainedModelFile.Read(TrainedModelFile.Parse(ModelFileCodec.Encode(written)), backend);
        using (olderNetwork)
        {
            Assert.Equal(reset, older.Reset);
            Assert.Equal(NetworkOutputs.OnRandomBatch(original, backend, 10, 4), NetworkOutputs.OnRandomBatch(olderNetwork, backend, 10, 4));
        }
    }

    [Theory]
    [InlineData(QuantisationTarget.Int8)]
    [InlineData(QuantisationTarget.Loihi2)]
    [InlineData(QuantisationTarget.Xylo)]
    public void Quantised_values_fit_the_target_and_are_written_beside_the_float_ones(QuantisationTarget target)
    {
        var checkpoint = Train(FeedForward, "q");
        using var backend = new HostBackend();
        var (header, network) = Restored(checkpoint, backend);
        using var _ = network;
        var model = QuantisedModel.From(target, header.Model, network);
        foreach (var (layer, q) in network.Layers.Zip(model.Layers))
        {
            var w = layer.Parameters[0].Value.ToArray();
            Assert.All(q.WeightInt, v => Assert.InRange(v, -127, 127));
            Assert.Equal(127, q.WeightInt.Max(Math.Abs));
            var step = w.Max(Math.Abs) / 127f;
            for (var i = 0; i < w.Length; i++) Assert.True(Math.Abs(w[i] - q.Weight[i]) <= step * 0.5001f, $"weight {i}: {w[i]} → {q.Weight[i]}");
        }
        var beta = MathF.Exp(-1f / 10f);
        var hidden = model.Layers[0];
        switch (target)
        {
            case QuantisationTarget.Loihi2:
                Assert.Equal((int)Math.Round(4096 * (1 - beta)), hidden.Decay);
                Assert.Equal(1 - hidden.Decay / 4096f, hidden.Beta);
                break;
            case QuantisationTarget.Xylo:
                Assert.Equal(3, hidden.Decay); // round(log2(1/(1 − e^(−1/10)))) = round(3.39)
                Assert.Equal(0.875f, hidden.Beta);
                Assert.InRange(hidden.ThresholdInt, 16384, 32767);
                break;
            default:
                Assert.Equal(beta, hidden.Beta);
                break;
        }
        using var quantised = model.Build(backend);
        var report = QuantisedModel.Compare(network, quantised, Data.Test, header.Options);
        Assert.InRange(report.SpikeAgreement, 0.5, 1.0);
        if (target == QuantisationTarget.Int8) Assert.True(report.SpikeAgreement > 0.9, $"int8 kept only {report.SpikeAgreement:P1} of spikes in place");
        var file = TrainedModelFile.ToModelFile(header, network, model, report);
        var affine = file.Graph.Nodes.First(n => n.Name == "affine_0");
        Assert.NotNull(affine.Quantisation);
        Assert.Equal(OptionName.Of(target), file.Trained.QuantisationTarget);
        Assert.Equal(report.QuantisedAccuracy, file.Trained.QuantisedTestAccuracy);
        var ints = affine.Quantisation.TargetCase switch
        {
            Quantisation.TargetOneofCase.Loihi2 => affine.Quantisation.Loihi2.WeightMantissa.I32,
            Quantisation.TargetOneofCase.Xylo => affine.Quantisation.Xylo.Weight.I32,
            _ => affine.Quantisation.IntN.Weight.I32,
        };
        Assert.Equal(model.Layers[0].WeightInt, ints.ToArray());
    }

    [Theory]
    [InlineData(QuantisationTarget.Int8)]
    [InlineData(QuantisationTarget.Loihi2)]
    public void A_conv_network_quantises_layer_by_layer_and_keeps_its_spikes(QuantisationTarget target)
    {
        // Yin-Yang's four values as a 1×2×2 image: Conv(4, k2, p1) 4×3×3 → max pool 2 → LIF → flatten → LI readout.
        var spec = new SnnModelSpec(4, [], 3, Convolution: new ConvolutionSpec(1, 2, 2, [new ConvStage(4, 2, Padding: 1)]));
        var checkpoint = Train(spec, $"conv-{target}");
        using var backend = new HostBackend();
        var (header, network) = Restored(checkpoint, backend);
        using var _ = network;
        var model = QuantisedModel.From(target, header.Model, network);
        Assert.Equal(2, model.Layers.Count); // the convolution and the readout
        var conv = network.Layers[0].Parameters[0].Value.ToArray();
        Assert.Equal(conv.Length, model.Layers[0].WeightInt.Length);
        Assert.Equal(127, model.Layers[0].WeightInt.Max(Math.Abs));
        using var quantised = model.Build(backend);
        var report = QuantisedModel.Compare(network, quantised, Data.Test, header.Options);
        Assert.True(report.SpikeAgreement > 0.8, $"{target} kept only {report.SpikeAgreement:P1} of spikes in place");
        Assert.True(report.FloatSpikes > 0);
        var error = Assert.Throws<SpikeSim.Simulator.Errors.InvalidParameterException>(() => QuantisedModel.From(QuantisationTarget.Xylo, header.Model, network)).Message;
        Assert.Contains("no convolution", error);

        // Written beside the float values: the convolution's integers in the Conv2d node's own [C_out, C_in, k, k] layout
        // (the float weight there is the trained one in that layout), its neurons' threshold and decay on the LIF node.
        var file = TrainedModelFile.ToModelFile(header, network, model, report);
        var convNode = file.Graph.Nodes.Single(n => n.Name == "conv_0");
        var (ints, shape) = convNode.Quantisation.TargetCase switch
        {
            Quantisation.TargetOneofCase.Loihi2 => (convNode.Quantisation.Loihi2.WeightMantissa.I32, convNode.Quantisation.Loihi2.WeightMantissa.Shape),
            _ => (convNode.Quantisation.IntN.Weight.I32, convNode.Quantisation.IntN.Weight.Shape),
        };
        Assert.Equal(convNode.Conv2D.Weight.Shape, shape);
        var g = ((SpikeSim.Learning.Layers.Convolution.Conv2d)network.Layers[0]).Geometry;
        Assert.Equal(SpikeSim.Learning.Layers.Convolution.KernelLayout.ToOihw<int>(model.Layers[0].WeightInt, g.Output.Channels, g.Input.Channels, g.Kernel), ints.ToArray());
        var floats = convNode.Conv2D.Weight.F32.ToArray();
        var step = floats.Max(Math.Abs) / 127f;
        var dequantised = SpikeSim.Learning.Layers.Convolution.KernelLayout.ToOihw<float>(model.Layers[0].Weight, g.Output.Channels, g.Input.Channels, g.Kernel);
        for (var i = 0; i < floats.Length; i++) Assert.True(Math.Abs(floats[i] - dequantised[i]) <= step * 0.5001f, $"weight {i}: {floats[i]} → {dequantised[i]}");
        var neurons = file.Graph.Nodes[file.Graph.Nodes.IndexOf(convNode) + 2]; // conv_0 → pool_0 → lif_0
        Assert.Equal("lif_0", neurons.Name);
        Assert.Equal(convNode.Quantisation.TargetCase, neurons.Quantisation.TargetCase);
        Assert.NotNull(file.Graph.Nodes.Single(n => n.Name == "affine_0").Quantisation);
        Assert.Equal(OptionName.Of(target), file.Trained.QuantisationTarget);

        // Read back as the float network it holds, with the same outputs as the trained one.
        var (_, read, _) = TrainedModelFile.Read(TrainedModelFile.Parse(ModelFileCodec.Encode(file)), backend);
        using (read)
            Assert.Equal(NetworkOutputs.OnRandomBatch(network, backend, 10, 4), NetworkOutputs.OnRandomBatch(read, backend, 10, 4));
    }

    [Theory]
    [InlineData(PoolKind.Sum, ReadoutKind.LeakyIntegrator)]
    [InlineData(PoolKind.Max, ReadoutKind.Spiking)]
    public void A_convolutional_classifier_is_written_with_Conv2d_and_Pool2d_nodes_and_reads_back_with_the_same_outputs(PoolKind pool, ReadoutKind readout)
    {
        // Yin-Yang's four features as a 1×2×2 image: a padded convolution (4×3×3), a 2×2 pooling (4×1×1), a hidden layer, the readout.
        var spec = new SnnModelSpec(4, [6], 3, Readout: readout, Convolution: new ConvolutionSpec(1, 2, 2, [new ConvStage(4, 2, Padding: 1, Pool: pool, PoolSize: 2)]));
        var checkpoint = Train(spec, $"conv-file-{pool}-{readout}");
        using var backend = new HostBackend();
        var (header, original) = Restored(checkpoint, backend);
        using var _ = original;
        var file = TrainedModelFile.ToModelFile(header, original);
        Assert.Equal(["input", "conv_0", "pool_0", "lif_0", "flatten", "affine_0", "lif_1", "affine_1", "readout", "output"], file.Graph.Nodes.Select(n => n.Name));
        Assert.Equal([4u, 1u, 2u, 2u], file.Graph.Nodes.Single(n => n.Name == "conv_0").Conv2D.Weight.Shape);
        var bytes = ModelFileCodec.Encode(file);
        var (readSpec, imported, _) = TrainedModelFile.Read(TrainedModelFile.Parse(bytes), backend);
        using (imported)
        {
            Assert.Equal(header.Model.ToString(), readSpec.ToString());
            Assert.Equal(NetworkOutputs.OnRandomBatch(original, backend, 10, 4), NetworkOutputs.OnRandomBatch(imported, backend, 10, 4));
            var again = TrainedModelFile.ToModelFile(header, imported);
            again.Header = file.Header;
            Assert.Equal(bytes, ModelFileCodec.Encode(again));
        }
        var unsaid = TrainedModelFile.Parse(bytes);
        unsaid.Graph.Nodes.Single(n => n.Name == "pool_0").Pool2D.Function = SpikeSim.Export.Proto.PoolFunction.Unspecified;
        Assert.Contains("does not say what its window computes", Assert.Throws<SpikeSimException>(() => TrainedModelFile.Read(unsaid, backend)).Message);
    }

    [Fact]
    public void Corrupted_trained_files_are_refused_with_clear_errors_unless_only_the_unguarded_header_text_changed()
    {
        var checkpoint = Train(FeedForward, "m");
        using var backend = new HostBackend();
        var (header, network) = Restored(checkpoint, backend);
        using var _ = network;
        var file = TrainedModelFile.ToModelFile(header, network, QuantisedModel.From(QuantisationTarget.Loihi2, header.Model, network));
        var valid = ModelFileCodec.Encode(file);
        var rng = new Simulator.Random.Xoshiro256(7);
        var refused = 0;
        for (var trial = 0; trial < 1500; trial++)
        {
            var bytes = Damage.Apply(valid, trial, rng);
            try
            {
                var read = TrainedModelFile.Parse(bytes);
                var (_, imported, _) = TrainedModelFile.Read(read, backend);
                imported.Dispose();
                // What still reads is the same classifier: only the header text the checksum leaves out changed.
                read.Header = file.Header;
                Assert.Equal(file, read);
            }
            catch (SpikeSimException)
            {
                refused++;
            }
        }
        Assert.True(refused > 1350, $"only {refused} of 1500 corrupted files were refused");
    }
}
