using System.Diagnostics;
using System.Text.Json;

namespace SpikeSim.Experiments.Cuba;

/// <summary>One run of the Brian2 C++ standalone CUBA reference.</summary>
internal sealed record Brian2Result(int Threads, long Synapses, long Spikes, double MeanRateHz, double RunSeconds);

/// <summary>
/// Runs the Brian2 reference script (<c>peers/cuba_brian2.py</c>, shipped beside this program) with
/// Debian's Brian2 and the system Python, and reads the JSON line it prints.
/// </summary>
internal static class Brian2Reference
{
    public const string Python = "/usr/bin/python3";
    public const string InstallHint = "Brian2 is not installed; install Debian's package with: sudo apt-get install -y python3-brian";

    public static string ScriptPath => Path.Combine(AppContext.BaseDirectory, "peers", "cuba_brian2.py");

    /// <summary>Null where Brian2 can be run, else why not.</summary>
    public static string? Unavailable()
    {
        if (!File.Exists(Python)) return $"{Python} is missing. {InstallHint}";
        if (!File.Exists(ScriptPath)) return $"The reference script {ScriptPath} is missing from this build.";
        var (code, _, _) = Exec(Python, ["-c", "import brian2"], TimeSpan.FromSeconds(60));
        return code == 0 ? null : InstallHint;
    }

    public static Brian2Result Run(int n, double durationMs, ulong seed, int threads)
    {
        var workdir = Directory.CreateTempSubdirectory("spikesim-brian2-");
        try
        {
            var (code, stdout, stderr) = Exec(Python,
                [ScriptPath, "--mode", "standalone", "--threads", threads.ToString(), "--n", n.ToString(),
                 "--duration-ms", durationMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
                 "--seed", (seed % int.MaxValue).ToString(), "--workdir", workdir.FullName],
                TimeSpan.FromMinutes(20));
            var json = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.TrimStart().StartsWith('{'));
            if (code != 0 || json is null)
                throw new InvalidOperationException($"Brian2 failed (exit {code}): {stderr.Split('\n').LastOrDefault(l => l.Length > 0)}");
            var root = JsonDocument.Parse(json).RootElement;
            return new Brian2Result(threads, root.GetProperty("synapses").GetInt64(), root.GetProperty("spikes").GetInt64(),
                root.GetProperty("mean_rate_hz").GetDouble(), root.GetProperty("run_s").GetDouble());
        }
        finally
        {
            try { workdir.Delete(recursive: true); } catch (IOException) { }
        }
    }

    private static (int Code, string Stdout, string Stderr) Exec(string file, string[] args, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
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
