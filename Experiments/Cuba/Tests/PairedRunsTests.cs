using Xunit;

namespace SpikeSim.Experiments.Cuba.Tests;

/// <summary><c>bench cuba</c>'s ratio: the median of alternating pairs' ratios, and Brian2's compiled program run again.</summary>
public sealed class PairedRunsTests
{
    [Fact]
    public void The_ratio_is_the_median_of_the_pairs_ratios_not_the_ratio_of_medians()
    {
        var pairs = new PairedRuns([0.1, 0.3, 0.2], [0.5, 0.6, 0.4]);
        Assert.Equal([0.2, 0.5, 0.5], pairs.Ratios);
        Assert.Equal(0.5, pairs.Ratio);
        Assert.Equal(0.4, PairedRuns.Median(pairs.SpikeSimSeconds) / PairedRuns.Median(pairs.ReferenceSeconds), 12);
        Assert.Equal(2.5, PairedRuns.Median([4, 1, 2, 3]));
        Assert.Throws<ArgumentException>(() => PairedRuns.Median([]));
    }

    [Brian2Fact]
    public void Brian2s_compiled_program_runs_again_and_reports_its_run_time()
    {
        using var build = Brian2Reference.Build(400, 100, 1, threads: 1);
        var first = Brian2Reference.Result(build, 1);
        Assert.True(first.Spikes > 0);
        var again = new[] { build.RunAgain(), build.RunAgain() };
        // The same program on the same network: the same order of time as its first run (Brian2's run() alone).
        Assert.All(again, t => Assert.InRange(t, first.RunSeconds / 10, first.RunSeconds * 10 + 0.05));
    }
}
