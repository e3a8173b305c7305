namespace SpikeSim.Simulator.Recording;

/// <summary>
/// Statistics that tell network states apart (Brunel 2000): regularity of single neurons and synchrony of the population.
/// Batch forms of <see cref="IsiStatistics"/> and <see cref="RateHistogram"/>, which compute them while a run streams its spikes.
/// </summary>
public static class SpikeStatistics
{
    /// <summary>
    /// Mean over neurons with at least <paramref name="minSpikes"/> spikes of the coefficient of
    /// variation of their inter-spike intervals (1 for a Poisson process, 0 for a clock); NaN when no neuron qualifies.
    /// Each train must be sorted.
    /// </summary>
    public static double MeanIsiCv(IEnumerable<IReadOnlyList<double>> trains, int minSpikes = 3)
    {
        var list = trains.ToList();
        var statistics = new IsiStatistics(list.Count);
        for (var i = 0; i < list.Count; i++)
            foreach (var t in list[i]) statistics.Add(i, t);
        return statistics.MeanCv(minSpikes);
    }

    /// <summary>
    /// Coefficient of variation of the population spike count in bins of <paramref name="binMs"/> from <paramref name="fromMs"/>
    /// to <paramref name="toMs"/>: near zero for an asynchronous population of many neurons, large when the population oscillates.
    /// </summary>
    public static double PopulationRateCv(IEnumerable<double> spikeTimesMs, double fromMs, double toMs, double binMs = 1)
    {
        var histogram = new RateHistogram(fromMs, binMs, Math.Max(1, (int)Math.Floor((toMs - fromMs) / binMs)));
        foreach (var t in spikeTimesMs) histogram.Add(t);
        return histogram.Cv(fromMs, fromMs + histogram.Bins * binMs);
    }
}
