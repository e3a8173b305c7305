using System.Text.Json;
using SpikeSim.Learning.Encoders;
using SpikeSim.Learning.Evolution;
using SpikeSim.Learning.Losses;
using SpikeSim.Learning.Optimizers;
using SpikeSim.Learning.Surrogates;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Neurons;
using Xunit;

namespace SpikeSim.Tests.Learning;

/// <summary>The names of choices: one rule (lower kebab case), read back exactly, and what checkpoints hold.</summary>
public sealed class OptionNameTests
{
    [Fact]
    public void Names_are_the_members_in_lower_kebab_case()
    {
        Assert.Equal(["ce-max", "ce-last", "ce-count", "mse-rate"], OptionName.All<LossKind>());
        Assert.Equal(["current", "poisson", "latency", "spike-times"], OptionName.All<EncoderKind>());
        Assert.Equal(["adam", "sgd"], OptionName.All<OptimizerKind>());
        Assert.Equal("spike-times", OptionName.Of(EncoderKind.SpikeTimes));
    }

    [Fact]
    public void Every_name_parses_back_to_its_member_and_the_kind_of_what_it_creates()
    {
        foreach (var kind in Enum.GetValues<LossKind>())
        {
            Assert.Equal(kind, OptionName.Parse<LossKind>(" " + OptionName.Of(kind).ToUpperInvariant() + " ", "loss"));
            Assert.Equal(kind, Loss.Create(kind).Kind);
        }
        foreach (var kind in Enum.GetValues<EncoderKind>())
            Assert.Equal(kind, Encoder.Create(kind).Kind);
    }

    [Fact]
    public void An_unknown_name_is_refused_with_the_choices()
    {
        var e = Assert.Throws<ArgumentException>(() => OptionName.Parse<OptimizerKind>("rmsprop", "optimiser"));
        Assert.Equal("Unknown optimiser 'rmsprop'; choose adam or sgd.", e.Message);
        Assert.Throws<ArgumentException>(() => OptionName.Parse<LossKind>("CeMax", "loss"));
    }

    /// <summary>
    /// Checkpoints written before the choices were typed hold them as names ("ce-max"); the options must still read
    /// them, and write them the same way, although the checkpoint's own enum policy is snake case.
    /// </summary>
    [Fact]
    public void Training_options_in_a_checkpoint_keep_the_command_line_names()
    {
        var options = new TrainingOptions(8, 2, 25, 3, LossKind.MseRate, EncoderKind.SpikeTimes, OptimizerKind.Sgd, new OptimizerSettings());
        var json = JsonSerializer.Serialize(options, Checkpoint.Json);
        Assert.Contains("\"loss\":\"mse-rate\"", json);
        Assert.Contains("\"encoder\":\"spike-times\"", json);
        Assert.Contains("\"optimizer\":\"sgd\"", json);
        Assert.Equal(options, JsonSerializer.Deserialize<TrainingOptions>(json, Checkpoint.Json));
        var old = json.Replace("\"mse-rate\"", "\"ce-count\"");
        Assert.Equal(LossKind.CeCount, JsonSerializer.Deserialize<TrainingOptions>(old, Checkpoint.Json)!.Loss);
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<TrainingOptions>(json.Replace("\"sgd\"", "1"), Checkpoint.Json));
    }

    [Fact]
    public void A_model_spec_in_a_checkpoint_names_its_surrogate_as_before()
    {
        var spec = new SnnModelSpec(4, [8], 3, Surrogate: SurrogateKind.Arctan, SurrogateSlope: 2f);
        var json = JsonSerializer.Serialize(spec, Checkpoint.Json);
        Assert.Contains("\"surrogate\":\"arctan\"", json);
        var old = JsonSerializer.Deserialize<SnnModelSpec>(json.Replace("\"arctan\"", "\"fast-sigmoid\""), Checkpoint.Json)!;
        Assert.Equal(SurrogateKind.FastSigmoid, old.Surrogate);
    }

    /// <summary>
    /// A trained network's reset is written by its timing ("subtract-at-next-step"); checkpoints from before the one reset
    /// vocabulary wrote "subtract" and "to_zero" for these two, and still resume as them.
    /// </summary>
    [Theory]
    [InlineData(ResetMode.SubtractAtNextStep, "subtract-at-next-step", "\"subtract\"")]
    [InlineData(ResetMode.ZeroAtNextStep, "zero-at-next-step", "\"to_zero\"")]
    public void A_model_spec_in_a_checkpoint_names_its_resets_timing_and_reads_the_old_names(ResetMode reset, string name, string oldName)
    {
        var spec = new SnnModelSpec(4, [8], 3, Reset: reset);
        var json = JsonSerializer.Serialize(spec, Checkpoint.Json);
        Assert.Contains($"\"reset\":\"{name}\"", json);
        Assert.Equal(spec.ToString(), JsonSerializer.Deserialize<SnnModelSpec>(json, Checkpoint.Json)!.ToString());
        Assert.Equal(reset, JsonSerializer.Deserialize<SnnModelSpec>(json.Replace($"\"{name}\"", oldName), Checkpoint.Json)!.Reset);
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<SnnModelSpec>(json.Replace($"\"{name}\"", "\"sideways\""), Checkpoint.Json));
    }

    [Theory]
    [InlineData(ResetMode.ToValue)]
    [InlineData(ResetMode.Subtract)]
    public void A_trained_network_refuses_a_reset_in_the_step_of_the_spike(ResetMode reset)
    {
        var error = Assert.ThrowsAny<Exception>(() => new SnnModelSpec(4, [8], 3, Reset: reset).Validate());
        Assert.Contains($"reset at the next step (SubtractAtNextStep or ZeroAtNextStep), not {reset}", error.Message);
    }

    /// <summary>A checkpoint header has always named its task as the command line does ("yinyang", "mnist").</summary>
    [Fact]
    public void A_checkpoint_header_names_its_task_as_before()
    {
        var header = new CheckpointHeader("spikesim-checkpoint", 1, TaskKind.YinYang, new SnnModelSpec(4, [8], 3),
            new TrainingOptions(8, 2, 25, 3, LossKind.CeMax, EncoderKind.Current, OptimizerKind.Adam, new OptimizerSettings()), 1, 10, []);
        var json = JsonSerializer.Serialize(header, Checkpoint.Json);
        Assert.Contains("\"task\":\"yinyang\"", json);
        Assert.Equal(TaskKind.Mnist, JsonSerializer.Deserialize<CheckpointHeader>(json.Replace("\"yinyang\"", "\"mnist\""), Checkpoint.Json)!.Task);
    }

    /// <summary>Evolution checkpoints have always named the strategies "cma" and "openai"; the typed state keeps those names.</summary>
    [Fact]
    public void Evolution_checkpoints_keep_the_strategy_names_they_always_had()
    {
        Assert.Equal(["cma", "openai"], OptionName.All<EvolutionStrategyKind>());
        var path = Path.Combine(Path.GetTempPath(), "spikesim-es-" + Guid.NewGuid().ToString("N"));
        try
        {
            new EvolutionCheckpoint(new OpenAiEs(new double[3], 7, 4).State, []).Save(path);
            Assert.Contains("\"Strategy\":\"openai\"", File.ReadAllText(path));
            Assert.Equal(EvolutionStrategyKind.OpenAI, EvolutionCheckpoint.Load(path).State.Strategy);
            // A plain-JSON checkpoint (as written before checkpoints carried a checksum) reads the names the same way.
            var json = System.Text.Json.JsonSerializer.Serialize(new EvolutionCheckpoint(new DiagonalCmaEs(new double[3], 7, 4).State, []));
            Assert.Contains("\"Strategy\":\"cma\"", json);
            File.WriteAllText(path, json);
            Assert.Equal(EvolutionStrategyKind.Cma, EvolutionCheckpoint.Load(path).State.Strategy);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
