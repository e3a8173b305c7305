namespace SpikeSim.Simulator.Recording;

/// <summary>Statistics that tell network states apart (Brunel 2000): regularity of single neurons and synchrony of the population.</summary>
public static class SpikeStatistics
{
    /// <summary>
    /// Mean over neurons with at least <paramref name="minSpikes"/> spikes of the coefficient of
    /// variation of their inter-spike intervals (1 for a Poisson process, 0 for a clock); NaN when no neuron qualifies.
    /// </summary>
    public static double MeanIsiCv(IEnumerable<IReadOnlyList<double>> trains, int minSpikes = 3)
    {
        var cvs = new List<double>();
        foreach (var train in trains)
        {
            if (train.Count < minSpikes) continue;
            var intervals = new double[train.Count - 1];
            for (var k = 1; k < train.Count; k++) intervals[k - 1] = train[k] - train[k - 1];
            var mean = intervals.Average();
            var sd = Math.Sqrt(intervals.Sum(x => (x - mean) * (x - mean)) / intervals.Length);
            if (mean > 0) cvs.Add(sd / mean);
        }
        return cvs.Count == 0 ? double.NaN : cvs.Average();
    }

    /// <summary>
    /// Coefficient of variation of the population spike count in bins of <paramref name="binMs"/>: near
    /// zero for an asynchronous population of many neurons, large when the population oscillates.
    /// </summary>
    public static double PopulationRateCv(IEnumerable<double> spikeTimesMs, double fromMs, double toMs, double binMs = 1)
    {
        var bins = new double[Math.Max(1, (int)Math.Floor((toMs - fromMs) / binMs))];
        foreach (var t in spikeTimesMs)
        {
            var b = (int)Math.Floor((t - fromMs) / binMs);
            if (b >= 0 && b < bins.Length) bins[b]++;
        }
        var mean = bins.Average();
        return mean == 0 ? double.NaN : Math.Sqrt(bins.Sum(x => (x - mean) * (x - mean)) / bins.Length) / mean;
    }
}
