using System.Diagnostics;
using System.Text.Json;
using SpikeSim.Cluster;
using SpikeSim.Learning.Plasticity;
using SpikeSim.Learning.Training;
using SpikeSim.Learning.Torch;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Experiments.Backpropamine;

/// <summary>
/// What every run of <c>meta backpropamine</c> shares — the path (ANN or spiking), the task size, the episodes and the
/// training settings — and one run of it: a variant trained with a seed, its reward per episode recorded.
/// </summary>
public sealed record CueRewardSetup(bool Spiking, int Cues, int Episodes, A2CSettings Settings, SpikingPlasticSettings Neurons)
{
    /// <summary>Trains <paramref name="variant"/> with <paramref name="seed"/> on a one-thread host backend (spiking) or libtorch (ANN); <paramref name="log"/> gets ten progress lines, <paramref name="onTrained"/> the trainer and the rewards at the end.</summary>
    public CueRewardRun Train(BackpropamineVariant variant, int seed, Action<string> log, Action<IEpisodeTrainer, double[]>? onTrained = null)
    {
        var clock = Stopwatch.StartNew();
        using var backend = new HostBackend(threads: 1);
        using IEpisodeTrainer trainer = Spiking ? new SpikingA2CTrainer(backend, variant.Spiking(), Cues, seed, Settings, Neurons) : new A2CTrainer(variant.Rule(), Cues, seed, Settings);
        var reward = new double[Episodes];
        double trials = 0;
        var window = Math.Max(1, Episodes / 10);
        for (var e = 0; e < Episodes; e++)
        {
            var r = trainer.Episode(e);
            reward[e] = r.MeanReward;
            trials = r.MeanTrials;
            if ((e + 1) % window == 0)
                log($"{OptionName.Of(variant),-11} seed {seed}: episode {e + 1}/{Episodes}, mean reward of the last {window} = {reward.Skip(e + 1 - window).Take(window).Average():0.00} (of at most ~{trials:0}), " +
                    (trainer is SpikingA2CTrainer snn ? $"{snn.MeanRate():0.000} spikes per neuron-step, " : "") + $"{clock.Elapsed.TotalSeconds:0} s");
        }
        onTrained?.Invoke(trainer, reward);
        return new CueRewardRun(variant, seed, reward, trials, clock.Elapsed.TotalSeconds);
    }
}

/// <summary>One run of <c>meta backpropamine --compare</c> (a variant and a seed) as a cluster job, for <c>--cluster …</c>.</summary>
internal sealed class CueRewardRunJob : IClusterJob
{
    private sealed record Item(BackpropamineVariant Variant, int Seed);

    private static JsonSerializerOptions Json => JobJson.Options;

    /// <inheritdoc />
    public string Name => "cue-reward-run";

    /// <inheritdoc />
    public Func<byte[], byte[]> Open(string parameters)
    {
        var setup = JsonSerializer.Deserialize<CueRewardSetup>(parameters, Json)!;
        return bytes =>
        {
            var item = JsonSerializer.Deserialize<Item>(bytes, Json)!;
            // A worker's slot is one thread: libtorch too (OpenMP's thread count is a per-thread setting, and more would
            // oversubscribe the cores the other slots use).
            if (!setup.Spiking) TorchThreads.Use(1);
            return JsonSerializer.SerializeToUtf8Bytes(setup.Train(item.Variant, item.Seed, _ => { }), Json);
        };
    }

    /// <summary>Runs <paramref name="runs"/> on the workers of <paramref name="session"/>; <paramref name="onRun"/> hears of each as it arrives (from any thread).</summary>
    public static void RunOn(ClusterSession session, CueRewardSetup setup, IReadOnlyList<(BackpropamineVariant Variant, int Seed)> runs, Action<CueRewardRun> onRun) =>
        session.RunAll(new CueRewardRunJob().Name, JsonSerializer.Serialize(setup, Json),
            [.. runs.Select(r => JsonSerializer.SerializeToUtf8Bytes(new Item(r.Variant, r.Seed), Json))],
            (_, bytes) => onRun(JsonSerializer.Deserialize<CueRewardRun>(bytes, Json)!));
}
