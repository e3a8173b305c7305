using Spectre.Console;
using SpikeSim.Learning.Training;

namespace SpikeSim.Cli.Output;

/// <summary>
/// Shows training as it runs: on a terminal a progress bar per epoch with loss, accuracy and samples/s;
/// always one line per finished epoch (the only output where standard output is redirected).
/// </summary>
internal static class TrainingDisplay
{
    public static TrainingResult Run(int epochs, Func<Action<EpochMetrics>, IProgress<BatchProgress>, TrainingResult> work)
    {
        string Format(EpochMetrics m) => (
            $"epoch {m.Epoch}/{epochs}: train loss {m.TrainLoss:0.0000} acc {m.TrainAccuracy:P2} | test loss {m.TestLoss:0.0000} acc {m.TestAccuracy:P2}" +
            (m.ValidationAccuracy is { } v ? $" | validation acc {v:P2}" : "") + $" | {m.Seconds:0.0} s, {m.SamplesPerSecond:0} samples/s, hidden rate {m.HiddenRate:0.000}");
        if (Console.IsOutputRedirected) return work(m => Console.WriteLine(Format(m)), new Progress(_ => { }));

        TrainingResult? result = null;
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                ProgressTask? bar = null;
                result = work(m =>
                {
                    bar?.StopTask();
                    bar = null;
                    context.Refresh();
                    AnsiConsole.MarkupLineInterpolated($"{Format(m)}");
                }, new Progress(p =>
                {
                    bar ??= context.AddTask($"epoch {p.Epoch + 1}/{epochs}", maxValue: p.SamplesTotal);
                    bar.Value = p.SamplesDone;
                    bar.Description = $"epoch {p.Epoch + 1}/{epochs}  loss {p.Loss:0.000}  acc {p.Accuracy:P1}  {p.SamplesPerSecond:0} samples/s";
                }));
            });
        return result!;
    }

    private sealed class Progress(Action<BatchProgress> report) : IProgress<BatchProgress>
    {
        public void Report(BatchProgress value) => report(value);
    }
}
