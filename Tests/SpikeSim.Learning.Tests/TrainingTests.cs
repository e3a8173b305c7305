using SpikeSim.Simulator.Convolution;
using SpikeSim.Learning.Data;
using SpikeSim.Learning.Encoders;
using SpikeSim.Learning.Layers;
using SpikeSim.Learning.Losses;
using SpikeSim.Learning.Optimizers;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Compute;
using SpikeSim.Tests.Support;
using Xunit;

namespace SpikeSim.Tests.Learning;

/// <summary>The trainer, checkpoints and resume, and the training kernels on every backend.</summary>
public sealed class TrainingTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "spikesim-train-" + Guid.NewGuid().ToString("N"));

    private static readonly SnnModelSpec Small = new(Inputs: 4, Hidden: [32], Classes: 3, TauMemMs: 10, TauReadoutMs: 20);

    private static TrainingOptions Options(int epochs, OptimizerKind optimizer = OptimizerKind.Adam, double clip = 0) => new(
        Steps: 12, Epochs: epochs, Batch: 25, Seed: 5, Loss: LossKind.CeMax, Encoder: EncoderKind.Current, Optimizer: optimizer,
        Settings: new OptimizerSettings(LearningRate: 3e-3f), ClipNorm: clip);

    private static TaskData SmallYinYang() => new(YinYang.Generate(600, 42), null, YinYang.Generate(300, 40));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Training_learns_yin_yang_well_above_chance()
    {
        using var backend = new HostBackend();
        var result = TrainingSession.Run(backend, TaskKind.YinYang, SmallYinYang(), Small, Options(6), null, resume: false);
        Assert.True(result.History[^1].TrainLoss < result.History[0].TrainLoss * 0.8, "the training loss should fall");
        Assert.True(result.TestAccuracy > 0.6, $"test accuracy {result.TestAccuracy:P1} is near chance (33 %)");
    }

    [Fact]
    public void Resuming_after_an_interruption_replays_the_remaining_epochs_exactly()
    {
        using var backend = new HostBackend();
        var data = SmallYinYang();
        var straight = Path.Combine(_dir, "straight");
        var split = Path.Combine(_dir, "split");
        var full = TrainingSession.Run(backend, TaskKind.YinYang, data, Small, Options(3), straight, resume: false);
        Assert.Throws<OperationCanceledException>(() => TrainingSession.Run(backend, TaskKind.YinYang, data, Small, Options(3), split, resume: false,
            onEpoch: m => { if (m.Epoch == 1) throw new OperationCanceledException("interrupted after epoch 1"); }));
        Assert.Equal(1, Checkpoint.ReadHeader(split).EpochsDone);
        var resumed = TrainingSession.Run(backend, TaskKind.YinYang, data, Small, Options(3), split, resume: true);
        Assert.Equal(1, resumed.ResumedFromEpoch);
        Assert.Equal(full.TestAccuracy, resumed.TestAccuracy);
        Assert.Equal(Weights(backend, straight), Weights(backend, split));
    }

    [Fact]
    public void A_finished_run_extended_with_more_epochs_ends_where_a_longer_run_does()
    {
        using var backend = new HostBackend();
        var data = SmallYinYang();
        var constant = (int epochs) => Options(epochs) with { Schedule = LearningRateSchedule.Constant };
        var straight = Path.Combine(_dir, "straight.ckpt");
        var extended = Path.Combine(_dir, "extended.ckpt");
        var full = TrainingSession.Run(backend, TaskKind.YinYang, data, Small, constant(3), straight, resume: false);
        TrainingSession.Run(backend, TaskKind.YinYang, data, Small, constant(1), extended, resume: false);
        var more = TrainingSession.Run(backend, TaskKind.YinYang, data, Small, constant(3), extended, resume: true);
        Assert.Equal(1, more.ResumedFromEpoch);
        Assert.Equal(3, more.History.Count);
        Assert.Equal(full.TestAccuracy, more.TestAccuracy);
        Assert.Equal(Weights(backend, straight), Weights(backend, extended));
        Assert.Contains("pass --epochs 3 or more", Assert.Throws<CheckpointException>(() =>
            TrainingSession.Run(backend, TaskKind.YinYang, data, Small, constant(2), extended, resume: true)).Message);
    }

    [Fact]
    public void A_folder_is_not_a_checkpoint_and_the_message_names_the_file_inside_it()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_dir, "old-run")).FullName;
        var e = Assert.Throws<CheckpointException>(() => Checkpoint.ReadHeader(folder));
        Assert.Contains("is a folder", e.Message);
        Assert.Contains(Path.Combine(folder, Checkpoint.LegacyFileName), e.Message);
    }

    [Fact]
    public void Damaged_or_foreign_checkpoints_give_one_clear_error()
    {
        using var backend = new HostBackend();
        var dir = Path.Combine(_dir, "run");
        TrainingSession.Run(backend, TaskKind.YinYang, SmallYinYang(), Small, Options(1), dir, resume: false);
        var path = dir;
        var good = File.ReadAllBytes(path);

        var flipped = (byte[])good.Clone();
        flipped[good.Length / 2] ^= 0x10;
        File.WriteAllBytes(path, flipped);
        Assert.Contains("damaged", Assert.Throws<CheckpointException>(() => Checkpoint.ReadHeader(path)).Message);

        File.WriteAllBytes(path, good[..(good.Length / 3)]);
        Assert.Contains("damaged", Assert.Throws<CheckpointException>(() => Checkpoint.ReadHeader(path)).Message);

        File.WriteAllBytes(path, "not a checkpoint at all, just text"u8.ToArray());
        Assert.Contains("not a SpikeSim training checkpoint", Assert.Throws<CheckpointException>(() => Checkpoint.ReadHeader(path)).Message);

        File.WriteAllBytes(path, good);
        var other = Options(1) with { Seed = 6 };
        Assert.Contains("different run", Assert.Throws<CheckpointException>(() =>
            TrainingSession.Run(backend, TaskKind.YinYang, SmallYinYang(), Small, other, dir, resume: true)).Message);
        Assert.Contains("already exists", Assert.Throws<CheckpointException>(() =>
            TrainingSession.Run(backend, TaskKind.YinYang, SmallYinYang(), Small, Options(1), dir, resume: false)).Message);
        Assert.Equal(good, File.ReadAllBytes(path));
    }

    [Theory]
    [InlineData("\"inputs\":4", "\"inputs\":2147483647", "more weights than one array holds")]
    [InlineData("\"inputs\":4", "\"inputs\":0", "at least one input")]
    [InlineData("\"tau_mem_ms\":10", "\"tau_mem_ms\":-10", "positive times")]
    [InlineData("\"v_threshold\":1", "\"v_threshold\":0", "threshold must be positive")]
    [InlineData("\"steps\":12", "\"steps\":0", "Steps must be")]
    public void A_checkpoint_whose_values_no_run_can_have_is_refused_before_anything_is_built(string from, string to, string message)
    {
        using var backend = new HostBackend();
        var path = Path.Combine(_dir, "values");
        TrainingSession.Run(backend, TaskKind.YinYang, SmallYinYang(), Small, Options(1), path, resume: false);
        // The header rewritten with a valid checksum (magic, length-prefixed JSON, tensors, SHA-256 of all before it).
        var bytes = File.ReadAllBytes(path);
        var body = bytes.AsSpan(8, bytes.Length - 40).ToArray();
        var length = BitConverter.ToInt32(body, 0);
        var json = System.Text.Encoding.UTF8.GetString(body, 4, length);
        Assert.Contains(from, json);
        var changed = System.Text.Encoding.UTF8.GetBytes(json.Replace(from, to));
        byte[] content = [.. bytes.AsSpan(0, 8), .. BitConverter.GetBytes(changed.Length), .. changed, .. body.AsSpan(4 + length)];
        File.WriteAllBytes(path, [.. content, .. System.Security.Cryptography.SHA256.HashData(content)]);
        var error = Assert.Throws<CheckpointException>(() => Checkpoint.ReadHeader(path)).Message;
        Assert.Contains(message, error);
        Assert.Contains("no run can have", error);
    }

    [Fact]
    public void Training_launches_every_training_kernel_and_the_ilgpu_accelerator_agrees_with_the_host()
    {
        var spec = Small with { Hidden = [8, 6], Cell = HiddenCell.Alif, Recurrent = true };
        var data = new TaskData(YinYang.Generate(40, 42), null, YinYang.Generate(20, 40));
        float[] Train(IComputeBackend backend, OptimizerKind optimizer, SnnModelSpec s)
        {
            using var network = s.Build(backend, 3);
            using var opt = Optimizer.Create(optimizer, backend, network.Parameters, new OptimizerSettings(LearningRate: 1e-2f, WeightDecay: 1e-3f));
            using var trainer = new Trainer(network, opt, Options(2, optimizer, clip: 0.5) with
            {
                Batch = 10,
                Loss = s.Readout == ReadoutKind.Spiking ? LossKind.CeCount : LossKind.CeMax,
                Grapes = optimizer == OptimizerKind.Sgd ? new SpikeSim.Learning.Grapes.GrapesOptions(SpikeSim.Learning.Grapes.GrapesVariant.Propagating) : null,
            });
            trainer.TrainEpoch(data.Train, 0);
            return network.Parameters.SelectMany(p => p.Value.ToArray()).ToArray();
        }
        using var recording = new RecordingBackend(new HostBackend());
        Train(recording, OptimizerKind.Adam, spec);
        Train(recording, OptimizerKind.Sgd, spec with { Readout = ReadoutKind.Spiking, Cell = HiddenCell.Lif, Recurrent = false });
        // Yin-Yang's four values as a 1×2×2 image: Conv(2, k2, p1) 2×3×3 → LIF → Conv(3, k2) 3×2×2 → sum pool 2 → LIF → flatten.
        var conv = spec with
        {
            Hidden = [], Recurrent = false,
            Convolution = new ConvolutionSpec(1, 2, 2, [new ConvStage(2, 2, Padding: 1, PoolSize: 1), new ConvStage(3, 2, Pool: SpikeSim.Simulator.Convolution.PoolKind.Sum)]),
        };
        Train(recording, OptimizerKind.Adam, conv);
        var missing = KernelCatalog.Training.Where(k => !recording.Launched.Contains(k)).Select(k => k.Name).ToArray();
        Assert.True(missing.Length == 0, "training kernels never launched: " + string.Join(", ", missing));

        using var host = new HostBackend();
        using var emulator = IlgpuBackend.TryCreate(DeviceKind.IlgpuCpuEmulator)!;
        foreach (var s in new[] { spec, conv })
        {
            var a = Train(host, OptimizerKind.Adam, s);
            var b = Train(emulator, OptimizerKind.Adam, s);
            for (var i = 0; i < a.Length; i++) Assert.Equal(a[i], b[i], 3e-4f);
        }
    }

    [Fact]
    public void The_tape_is_four_bytes_per_neuron_step()
    {
        using var backend = new HostBackend();
        using var network = Small.Build(backend, 1);
        Assert.Equal(4.0, network.TapeBytesPerNeuronStep);
    }

    private static float[] Weights(IComputeBackend backend, string dir)
    {
        var path = dir;
        var header = Checkpoint.ReadHeader(path);
        using var network = header.Model.Build(backend, 0);
        Checkpoint.Restore(path, network, optimizer: null);
        return network.Parameters.SelectMany(p => p.Value.ToArray()).ToArray();
    }
}
