using System.Diagnostics;
using System.Text.Json;
using SpikeSim.Tests.Support;
using Xunit;

namespace SpikeSim.Tests;

/// <summary>
/// The device check runs end to end before a GPU arrives: <c>scripts/device-check.sh</c> publishes the check self-contained
/// and trimmed (and refuses above 60 MB), then runs the published program on ILGPU's CPU emulator at tiny sizes — the GPU
/// code path — where every device-against-host check must pass and every benchmark report a time.
/// </summary>
[Collection(WholeMachine.Name)]
public sealed class DeviceCheckScriptTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("spikesim-device-check-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_published_device_check_passes_on_the_ilgpu_emulator_at_tiny_sizes()
    {
        var script = Path.Combine(Repository.Root, "scripts", "device-check.sh");
        var (published, publishOutput) = Bash(script, "publish");
        Assert.True(published == 0, publishOutput);
        var json = Path.Combine(_dir, "device-check.json");
        var (code, output) = Bash(script, "--device", "ilgpu-cpu-emulator", "--size", "tiny", "--json", json);
        Assert.True(code == 0, output);
        var report = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        Assert.True(report.GetProperty("passed").GetBoolean());
        Assert.Equal(["cuba device = host", "brunel device = host", "microcircuit device = host", "training step device = host", "conv training step device = host"],
            report.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.All(report.GetProperty("benchmarks").EnumerateArray(), b => Assert.Contains("_s", b.GetProperty("figures").ToString()));
        // On the device, a run reads back only what its recorders drain at the end, never once a step.
        Assert.All(report.GetProperty("checks").EnumerateArray().Take(3),
            c => Assert.True(c.GetProperty("figures").GetProperty("host_reads").GetInt64() < c.GetProperty("figures").GetProperty("steps").GetInt64() / 10));
    }

    private static (int Code, string Output) Bash(params string[] args)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "timed out after 10 minutes");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
