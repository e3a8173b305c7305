using Spectre.Console;
using SpikeSim.Learning.Torch;
using SpikeSim.Learning.Training;

namespace SpikeSim.Cli.Output;

/// <summary>Shows which comparison run is going and how far it is (a bar on a terminal, a line per run otherwise).</summary>
internal static class ComparisonDisplay
{
    public static List<ComparisonRun> Run(int total, Func<Action<int, int, string, ComparisonArm, int>, IProgress<BatchProgress>, List<ComparisonRun>> work)
    {
        static string Label(int i, int n, string model, ComparisonArm arm, int seed) => $"run {i}/{n}: {model}, {arm.Name}, seed {seed}";
        if (Console.IsOutputRedirected)
            return work((i, n, model, arm, seed) => Console.WriteLine(Label(i, n, model, arm, seed)), new Progress(_ => { }));
        List<ComparisonRun>? result = null;
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var overall = context.AddTask("all runs", maxValue: total);
                ProgressTask? current = null;
                var label = "";
                result = work((i, n, model, arm, seed) =>
                {
                    overall.Value = i - 1;
                    label = Label(i, n, model, arm, seed);
                    current?.StopTask();
                    current = context.AddTask(label.EscapeMarkup());
                }, new Progress(p =>
                {
                    if (current is null) return;
                    current.MaxValue = p.SamplesTotal;
                    current.Value = p.SamplesDone;
                    current.Description = $"{label} · epoch {p.Epoch + 1} · acc {p.Accuracy:P1}".EscapeMarkup();
                }));
                overall.Value = total;
            });
        return result!;
    }

    private sealed class Progress(Action<BatchProgress> report) : IProgress<BatchProgress>
    {
        public void Report(BatchProgress value) => report(value);
    }
}
