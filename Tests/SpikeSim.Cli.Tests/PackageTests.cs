using SpikeSim.Tests.Support;
using System.Diagnostics;
using System.IO.Compression;
using Xunit;

namespace SpikeSim.Tests.Cli;

/// <summary>
/// <c>dotnet pack</c> makes the four library packages (README, licence, XML docs, symbols) and the <c>spikesim</c>
/// .NET tool; the tool installs from a folder into a tool path and runs, as a user would install it.
/// </summary>
public sealed class PackageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("spikesim-pack-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_packages_pack_and_the_tool_installs_and_runs()
    {
        var feed = Path.Combine(_dir, "feed");
        // The test run built the solution in Release; pack what it built.
        Run("dotnet", RepositoryRoot(), "pack", "SpikeSim.sln", "-c", "Release", "--no-build", "--no-restore", "-o", feed);

        foreach (var library in new[] { "SpikeSim.Simulator", "SpikeSim.Learning", "SpikeSim.Learning.Torch", "SpikeSim.Export" })
        {
            var package = Assert.Single(Directory.GetFiles(feed, $"{library}.*.nupkg"), p => !p.EndsWith(".snupkg") && IsVersionOf(p, library));
            Assert.True(File.Exists(Path.ChangeExtension(package, ".snupkg")), $"no symbols package for {library}");
            using var zip = ZipFile.OpenRead(package);
            var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
            Assert.Contains("README.md", entries);
            Assert.Contains("LICENSE", entries);
            Assert.Contains($"lib/net10.0/{library}.dll", entries);
            Assert.Contains($"lib/net10.0/{library}.xml", entries);
        }
        Assert.Empty(Directory.GetFiles(feed, "*Tests*"));
        Assert.Empty(Directory.GetFiles(feed, "SpikeSim.Experiments*"));

        var tool = Assert.Single(Directory.GetFiles(feed, "spikesim.*.nupkg"), p => !p.EndsWith(".snupkg"));
        var version = Path.GetFileNameWithoutExtension(tool)["spikesim.".Length..];
        var toolPath = Path.Combine(_dir, "tools");
        // A private package folder, so the install neither reuses nor leaves a cached copy of the tool.
        var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(_dir, "packages") };
        Run("dotnet", _dir, environment, "tool", "install", "spikesim", "--tool-path", toolPath, "--add-source", feed, "--version", version);

        var spikesim = Path.Combine(toolPath, "spikesim");
        Assert.StartsWith(version, Run(spikesim, _dir, "--version").Trim());
        var cuba = Run(spikesim, _dir, "simulate", "cuba", "--n", "200", "--duration-ms", "50");
        Assert.Contains("CUBA (step engine): 200 neurons", cuba);
    }

    private static bool IsVersionOf(string package, string id) =>
        char.IsDigit(Path.GetFileName(package)[(id.Length + 1)..][0]);

    private static string RepositoryRoot() => Repository.Root;

    private static string Run(string program, string directory, params string[] args) => Run(program, directory, new Dictionary<string, string>(), args);

    private static string Run(string program, string directory, Dictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = directory };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (key, value) in environment) info.Environment[key] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish in 10 minutes");
        }
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)} exited with {process.ExitCode}:\n{stdout.Result}\n{stderr.Result}");
        return stdout.Result;
    }
}
