using System.Diagnostics;
using Xunit;

namespace SpikeSim.Tests.Support;

/// <summary>A fact that reads files with h5py: skipped, with the install command, where Debian's python3-h5py is missing.</summary>
public sealed class H5pyFactAttribute : FactAttribute
{
    private static readonly Lazy<bool> Present = new(() =>
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("/usr/bin/python3", "-c \"import h5py\"") { RedirectStandardError = true, UseShellExecute = false });
            process!.WaitForExit(30_000);
            return process.ExitCode == 0;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return false;
        }
    });

    public H5pyFactAttribute()
    {
        if (!Present.Value) Skip = "h5py is not installed (apt-get install -y python3-h5py)";
    }

    /// <summary>Runs <paramref name="script"/> with the system Python and returns its standard output.</summary>
    public static string Run(string script)
    {
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
        return output;
    }
}
