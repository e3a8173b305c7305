namespace SpikeSim.Simulator.Compute;

/// <summary>
/// Whether the host launcher splits one kind of launch (a kernel type and a size class) over its worker threads,
/// decided by timing both ways as the run goes. A fixed size threshold guesses the machine: on a virtual machine whose
/// cores are shared with other tenants, a second thread is sometimes there and sometimes not, and the same
/// 40,000-neuron CUBA step ran 1.6× faster split in one minute and 1.9× slower split in the next (docs/performance.md).
/// So the first <see cref="Window"/> launches each way alternate; after that every launch goes the way whose median time
/// per index over its last <see cref="Window"/> launches is lower, except every <see cref="ExploreEvery"/>-th, which
/// goes the other way to keep its timings fresh (at most 1/<see cref="ExploreEvery"/> of the launches in the slower way).
/// The choice never changes a result: range kernels are elementwise and give the same bits for any split (the
/// thread-count tests hold them to it).
/// </summary>
internal sealed class SplitDecision
{
    /// <summary>Recent launches kept per way.</summary>
    public const int Window = 8;

    /// <summary>One launch in this many goes the way not chosen.</summary>
    public const int ExploreEvery = 32;

    private readonly double[] _serial = new double[Window], _split = new double[Window];
    private int _serialCount, _splitCount, _launch;

    /// <summary>The way the launches go now, explorations aside (split until both ways are timed).</summary>
    public bool Choice { get; private set; } = true;

    /// <summary>Whether the next launch is split.</summary>
    public bool NextSplit =>
        _serialCount < Window || _splitCount < Window ? _serialCount > _splitCount
        : _launch % ExploreEvery == ExploreEvery - 1 ? !Choice : Choice;

    /// <summary>Records a launch of <paramref name="length"/> indices, split or not, that took <paramref name="ticks"/>.</summary>
    public void Record(bool split, int length, long ticks)
    {
        var perIndex = (double)ticks / length;
        if (split) _split[_splitCount++ % Window] = perIndex;
        else _serial[_serialCount++ % Window] = perIndex;
        // The counts only index rings and compare with Window: keep them from overflowing on long runs.
        if (_serialCount >= 2 * Window && _splitCount >= 2 * Window) (_serialCount, _splitCount) = (Window + _serialCount % Window, Window + _splitCount % Window);
        _launch = (_launch + 1) % ExploreEvery;
        if (_serialCount >= Window && _splitCount >= Window) Choice = Median(_split) < Median(_serial);
    }

    private static double Median(double[] values)
    {
        Span<double> sorted = stackalloc double[Window];
        values.CopyTo(sorted);
        sorted.Sort();
        return (sorted[Window / 2 - 1] + sorted[Window / 2]) / 2;
    }
}
