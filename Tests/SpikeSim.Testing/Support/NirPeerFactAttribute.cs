using System.Diagnostics;
using Xunit;

namespace SpikeSim.Tests.Support;

/// <summary>
/// A fact that runs a NIR consumer's own importer (snnTorch's <c>import_from_nir</c>, Norse's <c>from_nir</c>) in Python:
/// skipped, saying what is missing, unless <c>/usr/bin/python3</c> can import torch (Debian's python3-torch), nir,
/// nirtorch and the consumer, found on the path that <c>SPIKESIM_NIR_PEERS</c> names or on Python's own.
/// docs/nir.md says how to set them up.
/// </summary>
public sealed class NirPeerFactAttribute : FactAttribute
{
    /// <summary>The folder of Python packages that <c>SPIKESIM_NIR_PEERS</c> names, if any.</summary>
    public static string? Peers => Environment.GetEnvironmentVariable("SPIKESIM_NIR_PEERS");

    /// <param name="module">The consumer's Python package: <c>snntorch</c> or <c>norse</c>.</param>
    public NirPeerFactAttribute(string module)
    {
        var (ok, error) = Run("-c", $"import torch, nir, nirtorch, {module}");
        if (!ok)
            Skip = $"{module}'s NIR importer cannot be run: /usr/bin/python3 -c 'import torch, nir, nirtorch, {module}' failed ({error}); " +
                   "install python3-torch and set SPIKESIM_NIR_PEERS to a folder holding nir, nirtorch and the consumer (docs/nir.md)";
    }

    /// <summary>Runs the system Python with <paramref name="arguments"/> and the peers' folder on its path.</summary>
    public static (bool Ok, string Error) Run(params string[] arguments)
    {
        try
        {
            var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in arguments) info.ArgumentList.Add(a);
            if (Peers is { } folder) info.Environment["PYTHONPATH"] = folder;
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            _ = output.Result;
            var last = error.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
            return (process.ExitCode == 0, last);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return (false, e.Message);
        }
    }
}
