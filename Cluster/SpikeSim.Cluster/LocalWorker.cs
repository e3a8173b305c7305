using System.Diagnostics;
using System.Reflection;

namespace SpikeSim.Cluster;

/// <summary>
/// A <c>spikesim worker</c> child process of a <c>local:N</c> command: the same program as the command, its output kept
/// (the last lines, for errors) rather than mixed into the command's, killed with the command.
/// </summary>
internal sealed class LocalWorker : IDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _output = new();

    private LocalWorker(int number, Process process) => (Number, _process) = (number, process);

    /// <summary>1-based, in the order started.</summary>
    public int Number { get; }

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Its last few lines of output.</summary>
    public string LastOutput
    {
        get
        {
            lock (_output) return string.Join(" | ", _output);
        }
    }

    /// <summary>Starts this program with <paramref name="arguments"/>; <paramref name="log"/> gets "worker N: pid P".</summary>
    public static LocalWorker Start(int number, IEnumerable<string> arguments, Action<string> log)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // Run as `dotnet spikesim.dll …`, the host is dotnet and the program its first argument.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet") start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        var worker = new LocalWorker(number, Process.Start(start)!);
        worker._process.OutputDataReceived += (_, e) => worker.Keep(e.Data);
        worker._process.ErrorDataReceived += (_, e) => worker.Keep(e.Data);
        worker._process.BeginOutputReadLine();
        worker._process.BeginErrorReadLine();
        log($"worker {number}: pid {worker._process.Id}");
        return worker;
    }

    private void Keep(string? line)
    {
        if (string.IsNullOrWhiteSpace(line)) return;
        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > 5) _output.Dequeue();
        }
    }

    /// <summary>Kills the worker if it still runs.</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }
}
