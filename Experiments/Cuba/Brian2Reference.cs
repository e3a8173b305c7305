using System.Diagnostics;
using System.Text.Json;

namespace SpikeSim.Experiments.Cuba;

/// <summary>One run of the Brian2 C++ standalone CUBA reference.</summary>
internal sealed record Brian2Result(int Threads, long Synapses, long Spikes, double MeanRateHz, double RunSeconds);

/// <summary>
/// Runs a Brian2 reference script (<c>peers/*.py</c>, shipped beside this program: <c>cuba_brian2.py</c>,
/// <c>microcircuit_brian2.py</c>) with Debian's Brian2 and the system Python, and reads the JSON line it prints.
/// </summary>
internal static class Brian2Reference
{
    public const string Python = "/usr/bin/python3";
    public const string InstallHint = "Brian2 is not installed; install Debian's package with: sudo apt-get install -y python3-brian";

    private const string CubaScript = "cuba_brian2.py";

    internal static string ScriptPath(string script) => Path.Combine(AppContext.BaseDirectory, "peers", script);

    /// <summary>Null where Brian2 can run <paramref name="script"/>, else why not.</summary>
    public static string? Unavailable(string script = CubaScript)
    {
        if (!File.Exists(Python)) return $"{Python} is missing. {InstallHint}";
        if (!File.Exists(ScriptPath(script))) return $"The reference script {ScriptPath(script)} is missing from this build.";
        var (code, _, _) = Exec(Python, ["-c", "import brian2"], TimeSpan.FromSeconds(60));
        return code == 0 ? null : InstallHint;
    }

    public static Brian2Result Run(int n, double durationMs, ulong seed, int threads)
    {
        using var build = Build(n, durationMs, seed, threads);
        return Result(build, threads);
    }

    /// <summary>The CUBA reference at N = <paramref name="n"/> on <paramref name="threads"/> OpenMP threads, built and run once, kept to run again.</summary>
    public static Brian2Build Build(int n, double durationMs, ulong seed, int threads) =>
        Brian2Build.Compile(CubaScript,
            ["--threads", threads.ToString(), "--n", n.ToString(), "--duration-ms", durationMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--seed", (seed % int.MaxValue).ToString()]);

    /// <summary>The first run of a CUBA <paramref name="build"/>.</summary>
    public static Brian2Result Result(Brian2Build build, int threads)
    {
        var root = build.First;
        return new Brian2Result(threads, root.GetProperty("synapses").GetInt64(), root.GetProperty("spikes").GetInt64(),
            root.GetProperty("mean_rate_hz").GetDouble(), root.GetProperty("run_s").GetDouble());
    }

    /// <summary>Runs <paramref name="script"/> in C++ standalone mode in a fresh work directory and returns the JSON line it printed.</summary>
    public static JsonElement RunScript(string script, IReadOnlyList<string> arguments)
    {
        using var build = Brian2Build.Compile(script, arguments);
        return build.First;
    }

    internal static (int Code, string Stdout, string Stderr) Exec(string file, string[] args, TimeSpan timeout, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory ?? "" };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "", "timed out");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
