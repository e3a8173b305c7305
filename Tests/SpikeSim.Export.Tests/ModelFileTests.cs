using Google.Protobuf;
using SpikeSim.Export;
using SpikeSim.Export.Proto;
using SpikeSim.Simulator.Engines;
using SpikeSim.Simulator.Errors;
using SpikeSim.Simulator.Networks;
using SpikeSim.Simulator.Recording;
using SpikeSim.Tests.Support;
using Xunit;

namespace SpikeSim.Tests.Export;

/// <summary>The SpikeSim model file: lossless round trips, self-identification, and clear errors for bad files.</summary>
public sealed class ModelFileTests
{
    private static (int[][] Spikes, float[][] Weights) Run(Network network, int steps = 300)
    {
        using var simulation = new TimeStepSimulation(network, Probe.Host.Value, new TimeStepOptions(0.1, Seed: 7));
        var recorders = network.Populations.Select(p => simulation.Observe(new SpikeRecorder(p))).ToArray();
        simulation.RunSteps(steps);
        return (recorders.Select(r => r.Neurons.ToArray().Zip(r.SpikeSteps.ToArray(), (n, s) => s * 1000 + n).ToArray()).ToArray(),
            network.Projections.Select(simulation.Weights).ToArray());
    }

    private static byte[] Bytes(Network network) => ModelFileCodec.Encode(NetworkExporter.ToModelFile(network, 0.1));

    [Fact]
    public void Every_model_projection_input_and_rule_survives_a_round_trip_with_identical_spikes()
    {
        var original = EveryKindNetwork.Build(7);
        var (imported, dt) = NetworkImporter.FromBytes(Bytes(original));
        Assert.Equal(0.1, dt);
        Assert.Equal(original.Populations.Select(p => (p.Name, p.Size, p.Model.GetType())), imported.Populations.Select(p => (p.Name, p.Size, p.Model.GetType())));
        Assert.Equal(original.Populations.Where(p => p.Model is not SpikeSim.Simulator.Neurons.SpikeTimeSource).Select(p => p.Model),
            imported.Populations.Where(p => p.Model is not SpikeSim.Simulator.Neurons.SpikeTimeSource).Select(p => p.Model));
        var (spikes, weights) = Run(original);
        var (again, againWeights) = Run(imported);
        Assert.True(spikes.Sum(s => s.Length) > 500);
        Assert.Equal(spikes, again);
        Assert.Equal(weights, againWeights);
    }

    [Fact]
    public void A_file_names_its_format_and_a_newer_major_version_is_refused()
    {
        var file = NetworkExporter.ToModelFile(EveryKindNetwork.Build(1), 0.1);
        Assert.Equal(ModelFormat.Name, file.Header.Format);
        Assert.Equal(ModelFormat.Major, file.Header.Major);
        file.Header.Major = ModelFormat.Major + 1;
        var error = Assert.Throws<SpikeSimException>(() => NetworkImporter.FromModelFile(file));
        Assert.Contains("Update SpikeSim", error.Message);
        file.Header.Major = ModelFormat.Major;
        file.Header.Format = "something-else";
        Assert.Throws<SpikeSimException>(() => NetworkImporter.FromModelFile(file));
    }

    [Fact]
    public void Unknown_fields_of_a_newer_minor_version_are_skipped_and_covered_by_its_checksum()
    {
        var bytes = Bytes(EveryKindNetwork.Build(1)).ToList();
        // Field 99 (a varint) that this version does not know, appended to the top-level message.
        bytes.AddRange([0x98, 0x06, 0x2A]);
        var appended = bytes.ToArray();
        Assert.Contains("damaged", Assert.Throws<SpikeSimException>(() => NetworkImporter.FromBytes(appended)).Message);
        // As a newer writer would have written it: the unknown field is inside the checksummed contents.
        var newer = ModelFileCodec.Encode(ModelFile.Parser.ParseFrom(appended));
        var (network, _) = NetworkImporter.FromBytes(newer);
        Assert.NotEmpty(network.Populations);
    }

    [Fact]
    public void An_enum_value_this_version_does_not_know_is_refused_naming_the_field_and_the_files_version()
    {
        var file = NetworkExporter.ToModelFile(EveryKindNetwork.Build(1), 0.1);
        file.Header.Minor = ModelFormat.Minor + 3;
        file.Graph.Nodes.Single(n => n.Name == "lif").Lif.Spiking.Reset = (ResetMode)7;
        var error = Assert.Throws<SpikeSimException>(() => NetworkImporter.FromBytes(ModelFileCodec.Encode(file))).Message;
        Assert.Contains("graph.nodes['lif'].lif.spiking.reset", error);
        Assert.Contains("ResetMode value 7", error);
        Assert.Contains($"the file is format {ModelFormat.Major}.{ModelFormat.Minor + 3}", error);
        // Every enum of the schema is covered, wherever it sits: here one inside a rule.
        file = NetworkExporter.ToModelFile(EveryKindNetwork.Build(1), 0.1);
        file.Graph.Nodes.First(n => n.Name == "cuba").CubaLif.Integrator = (Integrator)9;
        Assert.Contains("Integrator value 9", Assert.Throws<SpikeSimException>(() => NetworkImporter.FromModelFile(file)).Message);
    }

    [Fact]
    public void A_node_or_rule_of_a_kind_this_version_does_not_know_is_refused_by_name()
    {
        var file = NetworkExporter.ToModelFile(EveryKindNetwork.Build(1), 0.1);
        // A newer kind arrives as an unknown field with the oneof unset, as here: a node with its kind cleared.
        var projection = file.Graph.Nodes.First(n => n.KindCase == Node.KindOneofCase.Sparse);
        projection.ClearKind();
        var error = Assert.Throws<SpikeSimException>(() => NetworkImporter.FromBytes(ModelFileCodec.Encode(file))).Message;
        Assert.Contains($"Node '{projection.Name}' has no kind that this SpikeSim knows", error);
        Assert.DoesNotContain("must lead to", error);
        file = NetworkExporter.ToModelFile(EveryKindNetwork.Build(1), 0.1);
        file.Graph.Nodes.First(n => n.Sparse?.Plasticity is not null).Sparse.Plasticity.ClearRule();
        Assert.Contains("has no rule that this SpikeSim knows", Assert.Throws<SpikeSimException>(() => NetworkImporter.FromModelFile(file)).Message);
    }

    [Fact]
    public void The_same_network_always_gives_the_same_bytes_apart_from_the_header()
    {
        static byte[] Contents(ModelFile file)
        {
            var copy = file.Clone();
            copy.Header = null;
            return copy.ToByteArray();
        }
        var a = NetworkExporter.ToModelFile(EveryKindNetwork.Build(3), 0.1);
        var b = NetworkExporter.ToModelFile(EveryKindNetwork.Build(3), 0.1);
        Assert.Equal(Contents(a), Contents(b));
        Assert.Contains(a.Graph.Nodes, n => n.Sparse?.Plasticity?.ThreeFactorStdp is { Modulator: "modulator_0" });
    }

    [Fact]
    public void A_file_carries_a_checksum_and_a_damaged_one_is_named_damaged()
    {
        var file = NetworkExporter.ToModelFile(EveryKindNetwork.Build(1), 0.1);
        var bytes = ModelFileCodec.Encode(file);
        Assert.Equal(32, file.Header.Sha256.Length);
        var sparse = ModelFileCodec.Decode(bytes).Graph.Nodes.First(n => n.KindCase == Node.KindOneofCase.Sparse);
        // One weight changed to another finite value: every reader check but the checksum would pass it.
        var changed = ModelFileCodec.Decode(bytes);
        changed.Graph.Nodes.First(n => n.Name == sparse.Name).Sparse.Weight.F32[0] += 1f;
        changed.Header.Sha256 = file.Header.Sha256;
        var error = Assert.Throws<SpikeSimException>(() => NetworkImporter.FromBytes(changed.ToByteArray()));
        Assert.Contains("damaged", error.Message);
        // The checksum is required from 1.4; earlier files, which had none, still read.
        var unsummed = file.Clone();
        unsummed.Header.Sha256 = ByteString.Empty;
        Assert.Contains("lost its checksum", Assert.Throws<SpikeSimException>(() => NetworkImporter.FromBytes(unsummed.ToByteArray())).Message);
        unsummed.Header.Minor = 3;
        Assert.NotEmpty(NetworkImporter.FromBytes(unsummed.ToByteArray()).Network.Populations);
    }

    [Theory]
    [InlineData("nan-weight")]
    [InlineData("shape")]
    [InlineData("unknown-node")]
    [InlineData("missing-edge")]
    [InlineData("truncated")]
    public void Each_kind_of_bad_file_gives_one_clear_error_naming_what_is_wrong(string damage)
    {
        var file = NetworkExporter.ToModelFile(EveryKindNetwork.Build(1), 0.1);
        var sparse = file.Graph.Nodes.First(n => n.KindCase == Node.KindOneofCase.Sparse);
        byte[]? bytes = null;
        switch (damage)
        {
            case "nan-weight": sparse.Sparse.Weight.F32[0] = float.NaN; break;
            case "shape": sparse.Sparse.Weight.F32.RemoveAt(0); break;
            case "unknown-node": file.Graph.Nodes.Add(new Node { Name = "mystery", Size = 1 }); file.Graph.Edges.Add(new Edge { Source = "lif", Target = "mystery" }); file.Graph.Edges.Add(new Edge { Source = "mystery", Target = "lif" }); break;
            case "missing-edge": file.Graph.Edges.Add(new Edge { Source = "nowhere", Target = "lif" }); break;
            case "truncated": bytes = ModelFileCodec.Encode(file)[..200]; break;
        }
        var error = Assert.ThrowsAny<SpikeSimException>(() => NetworkImporter.FromBytes(bytes ?? ModelFileCodec.Encode(file)));
        Assert.DoesNotContain('\n', error.Message);
        if (damage is "nan-weight" or "shape") Assert.Contains(sparse.Name, error.Message);
    }

    [Fact]
    public void Thousands_of_corrupted_files_are_refused_with_clear_errors_unless_only_the_unguarded_header_text_changed()
    {
        var original = NetworkExporter.ToModelFile(EveryKindNetwork.Build(3), 0.1);
        var valid = ModelFileCodec.Encode(original);
        var rng = new Simulator.Random.Xoshiro256(2024);
        var refused = 0;
        for (var trial = 0; trial < 3000; trial++)
        {
            var bytes = Damage.Apply(valid, trial, rng);
            try
            {
                var (network, dt) = NetworkImporter.FromBytes(bytes);
                // A file that still reads is the same network: only the header's producer or creation time, which the checksum does not cover, changed.
                var read = ModelFileCodec.Decode(bytes);
                read.Header = original.Header;
                Assert.Equal(original, read);
                using var simulation = new TimeStepSimulation(network, Probe.Host.Value, new TimeStepOptions(dt));
            }
            catch (SpikeSimException)
            {
                refused++;
            }
        }
        Assert.True(refused > 2700, $"only {refused} of 3000 corrupted files were refused");
    }
}
