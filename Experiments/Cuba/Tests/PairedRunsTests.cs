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

    [Fact]
    public void Each_run_pairs_with_the_references_better_thread_count_and_the_report_names_both()
    {
        double[][] reference = [[0.5, 0.4], [0.3, 0.6]];
        var pairs = PairedRuns.BestOfReference([0.1, 0.15], reference);
        Assert.Equal([0.4, 0.3], pairs.ReferenceSeconds);
        Assert.Equal([0.25, 0.5], pairs.Ratios);
        Assert.Equal("1 thread: median 0.40 s and 2 threads: median 0.50 s", PairedRuns.PerThreadMedians([1, 2], reference, "0.00"));
        Assert.Equal("ratio     SpikeSim / Brian2 = 0.375 (median of 2 alternating pairs; range 0.250–0.500)", pairs.RatioLine("Brian2"));
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
