using System.Globalization;
using System.Text.Json;

namespace SpikeSim.Experiments.Cuba;

/// <summary>
/// A Brian2 reference script built in C++ standalone mode and kept: <see cref="Compile"/> runs the script once (code
/// generation, compilation and a first run) in its own work directory, and <see cref="RunAgain"/> runs the compiled
/// program again, as Brian2's own <c>device.run()</c> does, so that a benchmark can alternate SpikeSim's runs and
/// Brian2's on the same machine minute by minute rather than time one after the other.
/// </summary>
internal sealed class Brian2Build : IDisposable
{
    private readonly DirectoryInfo _workdir;

    private Brian2Build(DirectoryInfo workdir, JsonElement first) => (_workdir, First) = (workdir, first);

    /// <summary>The JSON line of the first run (the script's own summary: spikes, rates, its <c>run_s</c>).</summary>
    public JsonElement First { get; }

    /// <summary>Builds and runs <paramref name="script"/> with <paramref name="arguments"/> in a fresh work directory.</summary>
    public static Brian2Build Compile(string script, IReadOnlyList<string> arguments)
    {
        var workdir = Directory.CreateTempSubdirectory("spikesim-brian2-");
        try
        {
            var (code, stdout, stderr) = Brian2Reference.Exec(Brian2Reference.Python,
                [Brian2Reference.ScriptPath(script), "--mode", "standalone", .. arguments, "--workdir", workdir.FullName], TimeSpan.FromMinutes(30));
            var json = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.TrimStart().StartsWith('{'));
            if (code != 0 || json is null)
                throw new InvalidOperationException($"Brian2 failed (exit {code}): {stderr.Split('\n').LastOrDefault(l => l.Length > 0)}");
            return new Brian2Build(workdir, JsonDocument.Parse(json).RootElement.Clone());
        }
        catch
        {
            Delete(workdir);
            throw;
        }
    }

    /// <summary>
    /// Runs the compiled program once more (same network, same seed) and returns its simulation time in seconds, as
    /// Brian2 reports it (<c>results/last_run_info.txt</c>: the time of <c>run()</c> alone).
    /// </summary>
    public double RunAgain()
    {
        var (code, _, stderr) = Brian2Reference.Exec(Path.Combine(_workdir.FullName, "main"), [], TimeSpan.FromMinutes(30), _workdir.FullName);
        if (code != 0) throw new InvalidOperationException($"Brian2's compiled program failed (exit {code}): {stderr.Split('\n').LastOrDefault(l => l.Length > 0)}");
        var info = File.ReadAllText(Path.Combine(_workdir.FullName, "results", "last_run_info.txt")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return double.Parse(info[0], CultureInfo.InvariantCulture);
    }

    /// <summary>Deletes the work directory.</summary>
    public void Dispose() => Delete(_workdir);

    private static void Delete(DirectoryInfo workdir)
    {
        try
        {
            workdir.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
