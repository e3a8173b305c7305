namespace SpikeSim.Simulator.Recording;

/// <summary>
/// Spike counts of a population in fixed bins from <see cref="OriginMs"/>: bin b counts spikes with
/// OriginMs + b·BinMs ≤ t &lt; OriginMs + (b + 1)·BinMs; spikes outside the bins are not counted.
/// </summary>
public sealed class RateHistogram
{
    private readonly long[] _counts;

    public RateHistogram(double originMs, double binMs, int bins)
    {
        if (!(binMs > 0) || bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), "A histogram needs a positive bin width and at least one bin.");
        (OriginMs, BinMs, _counts) = (originMs, binMs, new long[bins]);
    }

    /// <summary>
    /// A histogram of bins of <paramref name="binMs"/> over [0, <paramref name="durationMs"/>), its bins widened to whole multiples
    /// of <paramref name="binMs"/> where there would be more than <paramref name="maxBins"/>.
    /// </summary>
    public static RateHistogram Covering(double durationMs, double binMs = 1, int maxBins = 10_000_000)
    {
        var width = binMs * Math.Max(1, Math.Ceiling(durationMs / binMs / maxBins));
        return new RateHistogram(0, width, (int)Math.Max(1, Math.Ceiling(durationMs / width)));
    }

    public double OriginMs { get; }
    public double BinMs { get; }
    public int Bins => _counts.Length;
    public ReadOnlySpan<long> Counts => _counts;

    public void Add(double timeMs)
    {
        var b = Math.Floor((timeMs - OriginMs) / BinMs);
        if (b >= 0 && b < _counts.Length) _counts[(int)b]++;
    }

    /// <summary>
    /// Coefficient of variation of the counts of the bins wholly inside [<paramref name="fromMs"/>, <paramref name="toMs"/>): near zero
    /// for an asynchronous population of many neurons, large when it oscillates; NaN when those bins hold no spike.
    /// </summary>
    public double Cv(double fromMs, double toMs)
    {
        var first = (int)Math.Clamp(Math.Ceiling((fromMs - OriginMs) / BinMs - 1e-9), 0, _counts.Length);
        var end = (int)Math.Clamp(Math.Floor((toMs - OriginMs) / BinMs + 1e-9), first, _counts.Length);
        if (end == first) return double.NaN;
        double mean = 0;
        for (var b = first; b < end; b++) mean += _counts[b];
        mean /= end - first;
        if (mean == 0) return double.NaN;
        double variance = 0;
        for (var b = first; b < end; b++) variance += (_counts[b] - mean) * (_counts[b] - mean);
        return Math.Sqrt(variance / (end - first)) / mean;
    }

    /// <summary>The counts summed over groups of <paramref name="factor"/> bins (the last group may be partial), for drawing.</summary>
    public long[] Coarsened(int factor)
    {
        var coarse = new long[(_counts.Length + factor - 1) / factor];
        for (var b = 0; b < _counts.Length; b++) coarse[b / factor] += _counts[b];
        return coarse;
    }
}
