using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Simulator.Plasticity;

/// <summary>
/// The event engine's record of one neuromodulator: n(t) = n_k·e^(−(t − T_k)/τ_n) after the release at
/// T_k that left it at n_k. Lazy synapse updates integrate against it piece by piece.
/// </summary>
internal sealed class ModulatorHistory(Neuromodulator modulator) : IModulatorHistory
{
    private readonly List<double> _times = [double.NegativeInfinity];
    private readonly List<double> _levels = [0];

    public Neuromodulator Modulator { get; } = modulator;

    /// <summary>n(t) for t at or after the last release.</summary>
    public double Level(double t) => LevelAfter(_times.Count - 1, t);

    /// <summary>Adds <paramref name="amount"/> at <paramref name="t"/> (not before the last release).</summary>
    public void Release(double t, double amount)
    {
        var level = Level(t) + amount;
        if (t == _times[^1]) _levels[^1] = level;
        else
        {
            _times.Add(t);
            _levels.Add(level);
        }
    }

    /// <summary>
    /// ∫ from t0 to t1 of (n(t) − b)·c(t) dt with c(t) = c0·e^(−(t − t0)/τ_c), exactly: on each piece
    /// between releases n·c is one exponential with 1/τ′ = 1/τ_n + 1/τ_c.
    /// </summary>
    public double Integral(double t0, double t1, double c0, double tauC, double b)
    {
        if (t1 <= t0 || c0 == 0) return 0;
        var tauN = Modulator.TauNMs;
        var tauPrime = 1 / (1 / tauN + 1 / tauC);
        var k = _times.BinarySearch(t0);
        if (k < 0) k = ~k - 1;
        var sum = -b * c0 * tauC * -double.ExpM1(-(t1 - t0) / tauC);
        var a = t0;
        while (a < t1)
        {
            var end = k + 1 < _times.Count ? Math.Min(_times[k + 1], t1) : t1;
            var nA = LevelAfter(k, a);
            var cA = c0 * Discretization.Decay(a - t0, tauC);
            sum += nA * cA * tauPrime * -double.ExpM1(-(end - a) / tauPrime);
            a = end;
            k++;
        }
        return sum;
    }

    private double LevelAfter(int k, double t)
        => double.IsNegativeInfinity(_times[k]) ? 0 : _levels[k] * Discretization.Decay(t - _times[k], Modulator.TauNMs);
}
