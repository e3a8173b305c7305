namespace SpikeSim.Simulator.Recording;

/// <summary>
/// The regularity of each neuron's firing, accumulated spike by spike in O(neurons) memory: for neuron i with intervals
/// Δ₁…Δₙ between successive spikes, CVᵢ = σ(Δ)/μ(Δ) (population σ, Welford's update). 1 for a Poisson process, 0 for a clock.
/// Spikes of a neuron must arrive in time order.
/// </summary>
public sealed class IsiStatistics(int neurons)
{
    private readonly double[] _last = Enumerable.Repeat(double.NaN, neurons).ToArray();
    private readonly long[] _intervals = new long[neurons];
    private readonly double[] _mean = new double[neurons];
    private readonly double[] _m2 = new double[neurons];

    public void Add(int neuron, double timeMs)
    {
        var last = _last[neuron];
        _last[neuron] = timeMs;
        if (double.IsNaN(last)) return;
        var interval = timeMs - last;
        var n = ++_intervals[neuron];
        var delta = interval - _mean[neuron];
        _mean[neuron] += delta / n;
        _m2[neuron] += delta * (interval - _mean[neuron]);
    }

    /// <summary>Mean over neurons with at least <paramref name="minSpikes"/> spikes (and a positive mean interval) of their CV; NaN when none qualifies.</summary>
    public double MeanCv(int minSpikes = 3) => MeanCv(0, _intervals.Length, minSpikes);

    /// <summary>The same over neurons <paramref name="first"/> .. <paramref name="first"/> + <paramref name="neurons"/> − 1 (one population).</summary>
    public double MeanCv(int first, int neurons, int minSpikes = 3)
    {
        double sum = 0;
        var count = 0;
        for (var i = first; i < first + neurons; i++)
        {
            if (_intervals[i] + 1 < minSpikes || !(_mean[i] > 0)) continue;
            sum += Math.Sqrt(Math.Max(0, _m2[i]) / _intervals[i]) / _mean[i];
            count++;
        }
        return count == 0 ? double.NaN : sum / count;
    }
}
