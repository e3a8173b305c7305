using SpikeSim.Simulator.Recording;
using Xunit;

namespace SpikeSim.Tests.Recording;

/// <summary>Regularity and synchrony, streamed spike by spike, against their definitions worked by hand.</summary>
public sealed class SpikeStatisticsTests
{
    [Fact]
    public void Isi_cv_is_zero_for_a_clock_and_the_population_sd_over_the_mean_otherwise()
    {
        var isi = new IsiStatistics(3);
        foreach (var t in new[] { 0.0, 10, 20, 30 }) isi.Add(0, t);       // clock: CV 0
        foreach (var t in new[] { 0.0, 1, 4 }) isi.Add(1, t);             // intervals 1, 3: mean 2, sd 1, CV 0.5
        isi.Add(2, 5);                                                     // one spike: left out
        Assert.Equal(0.25, isi.MeanCv(), 12);
        Assert.Equal(0.0, isi.MeanCv(minSpikes: 4), 12);
        Assert.True(double.IsNaN(new IsiStatistics(2).MeanCv()));
        Assert.Equal(0.25, SpikeStatistics.MeanIsiCv([[0.0, 10, 20, 30], [0.0, 1, 4], [5.0]]), 12);
    }

    [Fact]
    public void Rate_cv_counts_only_the_bins_inside_the_window()
    {
        var histogram = new RateHistogram(0, 1, 6);
        // counts per bin: 9 (before the window), 1, 3, 1, 3, 7 (after it)
        foreach (var (bin, count) in new[] { (0, 9), (1, 1), (2, 3), (3, 1), (4, 3), (5, 7) })
            for (var k = 0; k < count; k++) histogram.Add(bin + 0.5);
        histogram.Add(-0.5);
        histogram.Add(6.0);
        Assert.Equal(24, histogram.Counts.ToArray().Sum());
        Assert.Equal(0.5, histogram.Cv(1, 5), 12);                     // 1, 3, 1, 3: mean 2, sd 1
        Assert.Equal(0.5, SpikeStatistics.PopulationRateCv([1.5, 2.5, 2.5, 2.5, 3.5, 4.5, 4.5, 4.5], 1, 5), 12);
        Assert.True(double.IsNaN(new RateHistogram(0, 1, 4).Cv(0, 4)));
    }

    [Fact]
    public void A_long_run_gets_wider_bins_instead_of_unbounded_memory()
    {
        Assert.Equal(1.0, RateHistogram.Covering(1000).BinMs);
        Assert.Equal(1000, RateHistogram.Covering(1000).Bins);
        var long_ = RateHistogram.Covering(1e9, maxBins: 10_000_000);
        Assert.Equal(100.0, long_.BinMs);
        Assert.Equal(10_000_000, long_.Bins);
        var small = new RateHistogram(0, 1, 3);
        foreach (var t in new[] { 0.0, 0, 1, 1, 2, 2 }) small.Add(t);
        Assert.Equal([4L, 2L], small.Coarsened(2));
    }
}
