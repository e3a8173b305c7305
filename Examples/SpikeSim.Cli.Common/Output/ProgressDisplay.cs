using Spectre.Console;

namespace SpikeSim.Cli.Output;

/// <summary>
/// Runs work and shows a progress bar if it takes longer than about a second and standard output
/// is a terminal; redirected output gets no bar.
/// </summary>
public static class ProgressDisplay
{
    public static T Run<T>(string label, int total, Func<IProgress<int>, T> work)
    {
        var done = 0;
        var progress = new Progress(value => Volatile.Write(ref done, value));
        var task = Task.Run(() => work(progress));
        if (task.Wait(TimeSpan.FromSeconds(1)) || Console.IsOutputRedirected || total <= 0) return task.GetAwaiter().GetResult();
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var bar = context.AddTask(label, maxValue: total);
                while (!task.Wait(100)) bar.Value = Volatile.Read(ref done);
                bar.Value = total;
            });
        return task.GetAwaiter().GetResult();
    }

    /// <summary>A synchronous <see cref="IProgress{T}"/>: no synchronisation context, no allocation per report.</summary>
    private sealed class Progress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
