namespace SpikeSim.Experiments.Cuba;

/// <summary>
/// Run times of SpikeSim and a reference taken in alternating pairs on one machine: pair r is SpikeSim's run r and the
/// reference's run right after it. On a shared machine whose speed changes from minute to minute, the ratio within a
/// pair is fair where a ratio of two separately taken medians is not; the ratio reported is the median of the pairs'.
/// </summary>
internal sealed record PairedRuns(IReadOnlyList<double> SpikeSimSeconds, IReadOnlyList<double> ReferenceSeconds)
{
    /// <summary>Each pair's SpikeSim / reference, in run order.</summary>
    public double[] Ratios => [.. SpikeSimSeconds.Zip(ReferenceSeconds, (ours, theirs) => ours / theirs)];

    /// <summary>The median of the pairs' ratios.</summary>
    public double Ratio => Median(Ratios);

    /// <summary>
    /// Pairs SpikeSim's run r with the reference's better time of its runs right after it, one per thread count:
    /// <paramref name="referenceRuns"/>[r][k] is run r at thread count k.
    /// </summary>
    public static PairedRuns BestOfReference(IEnumerable<double> spikeSimSeconds, IEnumerable<double[]> referenceRuns)
        => new([.. spikeSimSeconds], [.. referenceRuns.Select(r => r.Min())]);

    /// <summary>"1 thread: median 1.2 s and 2 threads: median 0.9 s" for the reference's runs at each of <paramref name="threads"/>.</summary>
    public static string PerThreadMedians(IReadOnlyList<int> threads, IReadOnlyList<double[]> referenceRuns, string format)
        => string.Join(" and ", threads.Select((t, k) =>
            $"{t} thread{(t > 1 ? "s" : "")}: median {Median(referenceRuns.Select(x => x[k])).ToString(format, System.Globalization.CultureInfo.InvariantCulture)} s"));

    /// <summary>"ratio     SpikeSim / Brian2 = 0.333 (median of 5 alternating pairs; range 0.318–0.357)".</summary>
    public string RatioLine(string reference)
    {
        var ratios = Ratios.Order().ToArray();
        return $"ratio     SpikeSim / {reference} = {Ratio:0.000} (median of {ratios.Length} alternating pairs; range {ratios[0]:0.000}–{ratios[^1]:0.000})";
    }

    /// <summary>The median of <paramref name="values"/> (the mean of the middle two for an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) throw new ArgumentException("No values.", nameof(values));
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
