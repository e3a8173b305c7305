using System.Text.Json;
using SpikeSim.Tests.Support;
using Xunit;

namespace SpikeSim.Tests.Cli;

/// <summary>
/// Every long-running command keeps its checkpoint the same way: one file after <c>--checkpoint</c>, refused when it
/// exists and <c>--resume</c> is not given, required when it is, never a folder, and a resumed run may raise its total.
/// </summary>
public sealed class CheckpointConventionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("spikesim-checkpoints-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> Commands => new() { "train --task yinyang", "compare --task yinyang", "meta maze", "meta neuromodulation", "meta backpropamine" };

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_long_running_command_refuses_a_misused_checkpoint_before_any_work(string command)
    {
        var args = command.Split(' ');
        var existing = Path.Combine(_dir, "existing.ckpt");
        File.WriteAllText(existing, "a run's checkpoint");
        CliProcess.AssertOneError(CliProcess.Run([.. args, "--checkpoint", existing]), "already exists; pass --resume");
        Assert.Equal("a run's checkpoint", File.ReadAllText(existing));
        CliProcess.AssertOneError(CliProcess.Run([.. args, "--resume"]), "--resume needs --checkpoint FILE");
        CliProcess.AssertOneError(CliProcess.Run([.. args, "--checkpoint", _dir]), "is a folder");
        CliProcess.AssertOneError(CliProcess.Run([.. args, "--checkpoint", Path.Combine(_dir, "missing.ckpt"), "--resume"]), "There is no checkpoint to resume");
        CliProcess.AssertOneError(CliProcess.Run([.. args, "--checkpoint", Path.Combine(_dir, "no-such-folder", "c.ckpt")]), "does not exist");
        CliProcess.AssertOneError(CliProcess.Run([.. args, "--checkpoint", existing, "--resume"]), "existing.ckpt");
        Assert.Equal("a run's checkpoint", File.ReadAllText(existing));
    }

    [Fact]
    public void Compare_resumes_from_its_finished_runs_and_more_seeds_extend_it()
    {
        string[] Args(int seeds, string json) => ["compare", "--task", "yinyang", "--seeds", $"{seeds}", "--epochs", "1", "--hidden", "8", "--device", "cpu",
            "--checkpoint", Path.Combine(_dir, "compare.ckpt"), "--json", json];
        var (one, two, straight) = (Path.Combine(_dir, "one.json"), Path.Combine(_dir, "two.json"), Path.Combine(_dir, "straight.json"));
        Assert.Equal(0, CliProcess.Run(Args(1, one)).ExitCode);
        var extended = CliProcess.Run([.. Args(2, two), "--resume"]);
        Assert.Equal(0, extended.ExitCode);
        Assert.Contains("10 finished runs taken from", extended.Stdout);
        Assert.Equal(0, CliProcess.Run(["compare", "--task", "yinyang", "--seeds", "2", "--epochs", "1", "--hidden", "8", "--device", "cpu", "--json", straight]).ExitCode);
        Assert.Equal(Accuracies(straight), Accuracies(two));
        CliProcess.AssertOneError(CliProcess.Run([.. Args(2, two), "--resume", "--force", "--sgd-lr-snn", "0.02"]), "other settings");
    }

    [Fact]
    public void Backpropamine_resumes_from_its_finished_runs()
    {
        var checkpoint = Path.Combine(_dir, "bp.ckpt");
        string[] Args(int seeds, string json) => ["meta", "backpropamine", "--compare", "--variants", "none,modulated", "--seeds", $"{seeds}", "--episodes", "2",
            "--hidden", "6", "--checkpoint", checkpoint, "--json", json];
        var (one, two) = (Path.Combine(_dir, "bp1.json"), Path.Combine(_dir, "bp2.json"));
        Assert.Equal(0, CliProcess.Run(Args(1, one)).ExitCode);
        var resumed = CliProcess.Run([.. Args(2, two), "--resume"]);
        Assert.Equal(0, resumed.ExitCode);
        Assert.Contains("2 finished runs taken from", resumed.Stdout);
        using var first = JsonDocument.Parse(File.ReadAllText(one));
        using var second = JsonDocument.Parse(File.ReadAllText(two));
        var runs = second.RootElement.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(4, runs.Count);
        var seedOne = runs.Where(r => r.GetProperty("seed").GetInt32() == 1).Select(r => r.GetProperty("reward").GetRawText());
        Assert.Equal(first.RootElement.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("reward").GetRawText()), seedOne);
        CliProcess.AssertOneError(CliProcess.Run(["meta", "backpropamine", "--checkpoint", Path.Combine(_dir, "x.ckpt"), "--path", "snn", "--export", Path.Combine(_dir, "a.spikesim")]),
            "without --checkpoint");
    }

    private static List<string> Accuracies(string json)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        return doc.RootElement.GetProperty("runs").EnumerateArray()
            .Select(r => $"{r.GetProperty("model")}/{r.GetProperty("arm")}/{r.GetProperty("seed")}: {r.GetProperty("test_accuracy").GetRawText()}").ToList();
    }
}
