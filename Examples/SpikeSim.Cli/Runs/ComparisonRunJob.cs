using System.Text.Json;
using SpikeSim.Cluster;
using SpikeSim.Learning.Torch;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Cli.Runs;

/// <summary>
/// One run of <c>spikesim compare</c> (a model, an arm and a seed) as a cluster job: a worker loads the task's data once
/// per comparison and trains each run it is given on one thread, so <c>compare --cluster …</c> spreads the
/// 2 × 5 × seeds runs over the workers and records each in the checkpoint as it arrives.
/// </summary>
internal sealed class ComparisonRunJob : IClusterJob
{
    /// <summary>
    /// What every run of a comparison shares: its settings; for full MNIST, the folder of IDX files (which must exist on
    /// every worker). SNN runs give the in-process bits; ANN runs (one libtorch thread per slot) differ in the last digits
    /// of their losses, as two in-process runs of libtorch do.
    /// </summary>
    public sealed record Parameters(Comparison.Settings Settings, string? Data);

    private sealed record Item(string Model, string Arm, int Seed);

    private static JsonSerializerOptions Json => JobJson.Options;

    /// <inheritdoc />
    public string Name => "comparison-run";

    /// <inheritdoc />
    public Func<byte[], byte[]> Open(string parameters)
    {
        var p = JsonSerializer.Deserialize<Parameters>(parameters, Json)!;
        var data = TrainingTasks.Load(p.Settings.Task, p.Data, Learning.Data.Mnist.DefaultCache, _ => { });
        return bytes =>
        {
            var item = JsonSerializer.Deserialize<Item>(bytes, Json)!;
            var planned = new Comparison.Planned(item.Model, Comparison.Arms.Single(a => a.Name == item.Arm), item.Seed);
            using var backend = new HostBackend(threads: 1);
            // A worker's slot is one thread: libtorch too (OpenMP's thread count is a per-thread setting, and more would
            // oversubscribe the cores the other slots use).
            if (planned.Model == "ANN") TorchThreads.Use(1);
            var run = Comparison.RunOne(backend, data, p.Settings, planned, null);
            return JsonSerializer.SerializeToUtf8Bytes(run, Json);
        };
    }

    /// <summary>Every run of the comparison not in <paramref name="ledger"/>, on the workers of <paramref name="session"/>; all runs in table order.</summary>
    public static List<ComparisonRun> RunOn(ClusterSession session, Parameters parameters, RunLedger<ComparisonRun> ledger, Action<string> log)
    {
        var plan = Comparison.Plan(parameters.Settings);
        var missing = plan.Where(r => !ledger.TryGet(r.Key, out _)).ToArray();
        log($"{missing.Length} runs on {session.Description}");
        var finished = 0;
        session.RunAll(new ComparisonRunJob().Name, JsonSerializer.Serialize(parameters, Json),
            [.. missing.Select(r => JsonSerializer.SerializeToUtf8Bytes(new Item(r.Model, r.Arm.Name, r.Seed), Json))],
            (i, bytes) =>
            {
                var run = JsonSerializer.Deserialize<ComparisonRun>(bytes, Json)!;
                ledger.Add(missing[i].Key, run);
                log($"run {Interlocked.Increment(ref finished)}/{missing.Length} done: {run.Model}, {run.Arm}, seed {run.Seed}: test accuracy {run.History[^1].TestAccuracy:P2}");
            });
        log($"workers: {session.LastRound}");
        return [.. plan.Select(r => ledger.TryGet(r.Key, out var run) ? run : throw new InvalidOperationException($"run {r.Key} is missing"))];
    }
}
