using SpikeSim.Learning.Grapes;
using SpikeSim.Learning.Optimizers;
using SpikeSim.Learning.Training;
using SpikeSim.Simulator.Compute;

namespace SpikeSim.Learning.Torch;

/// <summary>One way of training in a comparison: the optimiser, its learning-rate multiple, and GRAPES.</summary>
public sealed record ComparisonArm(string Name, OptimizerKind Optimizer, float LearningRateScale, GrapesOptions? Grapes);

/// <summary>One run: model kind, arm, seed, and its per-epoch metrics.</summary>
public sealed record ComparisonRun(string Model, string Arm, int Seed, IReadOnlyList<EpochMetrics> History);

/// <summary>
/// ANN against SNN, each under SGD, SGD + GRAPES (local and propagating), SGD at 1.5 × the learning rate
/// (the control for GRAPES' larger effective step, M ≥ 1) and Adam, over several seeds, on the same data,
/// batch order, widths and epochs.
/// </summary>
public static class Comparison
{
    /// <summary>The five arms of the issue, in table order.</summary>
    public static IReadOnlyList<ComparisonArm> Arms { get; } =
    [
        new("SGD", OptimizerKind.Sgd, 1f, null),
        new("SGD + GRAPES local", OptimizerKind.Sgd, 1f, new GrapesOptions(GrapesVariant.Local)),
        new("SGD + GRAPES propagating", OptimizerKind.Sgd, 1f, new GrapesOptions(GrapesVariant.Propagating)),
        new("SGD × 1.5 lr (control)", OptimizerKind.Sgd, 1.5f, null),
        new("Adam", OptimizerKind.Adam, 1f, null),
    ];

    /// <summary>Settings of a comparison.</summary>
    /// <param name="Task">The task.</param>
    /// <param name="Snn">The SNN; its widths are the ANN's.</param>
    /// <param name="SnnOptions">Options of the SNN runs (steps, batch, epochs, encoder, loss); optimiser, rate and GRAPES come from the arm.</param>
    /// <param name="AnnOptions">The same for the ANN runs.</param>
    /// <param name="SgdLearningRateSnn">SGD learning rate of the SNN (the control arm uses 1.5 ×).</param>
    /// <param name="SgdLearningRateAnn">SGD learning rate of the ANN.</param>
    /// <param name="AdamLearningRateSnn">Adam learning rate of the SNN.</param>
    /// <param name="AdamLearningRateAnn">Adam learning rate of the ANN.</param>
    /// <param name="Seeds">Seeds 1 … Seeds per model and arm.</param>
    public sealed record Settings(TaskKind Task, SnnModelSpec Snn, TrainingOptions SnnOptions, TrainingOptions AnnOptions,
        float SgdLearningRateSnn, float SgdLearningRateAnn, float AdamLearningRateSnn, float AdamLearningRateAnn, int Seeds);

    /// <summary>One run of a comparison: its model ("ANN" or "SNN"), arm and seed.</summary>
    public sealed record Planned(string Model, ComparisonArm Arm, int Seed)
    {
        /// <summary>Its key in a <see cref="RunLedger{TRun}"/>.</summary>
        public string Key => $"{Model}/{Arm.Name}/{Seed}";
    }

    /// <summary>Every model × arm × seed, in table order.</summary>
    public static IReadOnlyList<Planned> Plan(Settings s) =>
        [.. from model in new[] { "ANN", "SNN" } from arm in Arms from seed in Enumerable.Range(1, s.Seeds) select new Planned(model, arm, seed)];

    /// <summary>
    /// Runs every model × arm × seed; <paramref name="onRun"/> hears of each run before it starts. Runs that
    /// <paramref name="ledger"/> holds are taken from it, and every finished run is added to it.
    /// </summary>
    public static List<ComparisonRun> Run(IComputeBackend backend, TaskData data, Settings s, RunLedger<ComparisonRun>? ledger,
        Action<int, int, string, ComparisonArm, int>? onRun, IProgress<BatchProgress>? progress)
    {
        var plan = Plan(s);
        var runs = new List<ComparisonRun>();
        foreach (var (run, index) in plan.Select((r, i) => (r, i + 1)))
        {
            if (ledger is not null && ledger.TryGet(run.Key, out var done))
            {
                runs.Add(done);
                continue;
            }
            onRun?.Invoke(index, plan.Count, run.Model, run.Arm, run.Seed);
            var finished = RunOne(backend, data, s, run, progress);
            ledger?.Add(run.Key, finished);
            runs.Add(finished);
        }
        return runs;
    }

    /// <summary>One run: the model trained under its arm's optimiser, rate and GRAPES, with its seed.</summary>
    public static ComparisonRun RunOne(IComputeBackend backend, TaskData data, Settings s, Planned run, IProgress<BatchProgress>? progress)
    {
        var (model, arm, seed) = run;
        var baseOptions = model == "ANN" ? s.AnnOptions : s.SnnOptions;
        var lr = arm.Optimizer == OptimizerKind.Adam
            ? (model == "ANN" ? s.AdamLearningRateAnn : s.AdamLearningRateSnn)
            : (model == "ANN" ? s.SgdLearningRateAnn : s.SgdLearningRateSnn) * arm.LearningRateScale;
        var options = baseOptions with
        {
            Seed = seed,
            Optimizer = arm.Optimizer,
            Settings = baseOptions.Settings with { LearningRate = lr, Momentum = 0 },
            Schedule = LearningRateSchedule.Constant,
            Grapes = arm.Grapes,
        };
        IReadOnlyList<EpochMetrics> history;
        if (model == "ANN")
        {
            using var trainer = new AnnTrainer(AnnModelSpec.Of(s.Snn) with { Recurrent = false }, options);
            history = EpochLoop.Run(trainer, data, 0, options.Epochs, null, progress);
        }
        else
        {
            history = TrainingSession.Run(backend, s.Task, data, s.Snn, options, null, resume: false, progress: progress).History;
        }
        return new ComparisonRun(model, arm.Name, seed, history);
    }
}
