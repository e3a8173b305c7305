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

    /// <summary>The median of <paramref name="values"/> (the mean of the middle two for an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) throw new ArgumentException("No values.", nameof(values));
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
