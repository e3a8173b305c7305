using System.Diagnostics;
using Xunit;

namespace SpikeSim.Tests.Support;

/// <summary>Runs the real <c>spikesim</c> program in its own process, as a user would.</summary>
public static class CliProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(params string[] args) => Run(new Dictionary<string, string>(), args);

    /// <summary>Runs with <paramref name="environment"/> added to the process's environment.</summary>
    public static Result Run(IReadOnlyDictionary<string, string> environment, params string[] args) => Run(environment, null, args);

    /// <summary>Runs and hands each line of standard output, as it comes, to <paramref name="onLine"/> (say, to act in the middle of a run).</summary>
    public static Result Watch(Action<string> onLine, params string[] args) => Run(new Dictionary<string, string>(), onLine, args);

    private static Result Run(IReadOnlyDictionary<string, string> environment, Action<string>? onLine, string[] args)
    {
        var info = Info(environment, args);
        using var process = Process.Start(info)!;
        var stdout = onLine is null ? process.StandardOutput.ReadToEndAsync() : Task.Run(() =>
        {
            var text = new System.Text.StringBuilder();
            while (process.StandardOutput.ReadLine() is { } line)
            {
                text.AppendLine(line);
                onLine(line);
            }
            return text.ToString();
        });
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("spikesim did not finish in 5 minutes: " + string.Join(' ', args));
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>
    /// Starts spikesim in the background (a server such as <c>spikesim worker</c>); each line of its output goes to
    /// <paramref name="onLine"/>. The caller kills it.
    /// </summary>
    public static Process Start(Action<string> onLine, params string[] args)
    {
        var process = Process.Start(Info(new Dictionary<string, string>(), args))!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) onLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) onLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static ProcessStartInfo Info(IReadOnlyDictionary<string, string> environment, string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var (name, value) in environment) info.Environment[name] = value;
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "spikesim.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        return info;
    }

    /// <summary>The run failed with exit code 2 and one <c>error:</c> line containing <paramref name="message"/>, and no stack trace.</summary>
    public static void AssertOneError(Result result, string message)
    {
        Assert.Equal(2, result.ExitCode);
        var errors = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("device:")).ToArray();
        var line = Assert.Single(errors);
        Assert.StartsWith("error: ", line);
        Assert.Contains(message, line);
        Assert.DoesNotContain("   at ", result.Stderr + result.Stdout);
    }
}
