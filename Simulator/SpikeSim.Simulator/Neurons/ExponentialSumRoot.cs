namespace SpikeSim.Simulator.Neurons;

/// <summary>
/// f(s) = c + Σ_k a_k·e^(−s/τ_k) for s ≥ 0, and the first s at which it reaches zero from below.
/// Each exponential is monotone, so on [l, r] the term-wise extremes bound f and f′; a
/// left-first bisection of [0, H] discards intervals whose upper bound of f is negative and stops
/// on an interval where f is increasing and changes sign, where plain bisection then finds the
/// root. Nothing is sampled, so no crossing is stepped over.
/// </summary>
public readonly struct ExponentialSumRoot
{
    private readonly double _constant;
    private readonly (double A, double Tau)[] _terms;

    /// <summary>Creates f(s) = <paramref name="constant"/> + Σ a·e^(−s/τ) over <paramref name="terms"/>.</summary>
    public ExponentialSumRoot(double constant, (double A, double Tau)[] terms)
    {
        _constant = constant;
        _terms = terms;
    }

    /// <summary>Root tolerance, ms.</summary>
    public const double Tolerance = 1e-12;

    /// <summary>f(<paramref name="s"/>).</summary>
    public double Value(double s)
    {
        var f = _constant;
        foreach (var (a, tau) in _terms) f += a * Discretization.Decay(s, tau);
        return f;
    }

    /// <summary>The first s ≥ 0 with f(s) ≥ 0, or +∞ if f stays negative.</summary>
    public double FirstCrossing()
    {
        if (Value(0) >= 0) return 0;
        var tauMax = _terms.Max(t => t.Tau);
        // Past H every exponential is below e^(−60) of its weight: f is its constant there.
        var horizon = 60 * tauMax;
        if (Upper(0, horizon) < 0) return double.PositiveInfinity;
        var stack = new Stack<(double L, double R)>();
        stack.Push((0, horizon));
        while (stack.Count > 0)
        {
            var (l, r) = stack.Pop();
            if (Upper(l, r) < 0) continue;
            var fr = Value(r);
            if (fr >= 0 && LowerSlope(l, r) > 0) return Bisect(l, r);
            if (r - l < Tolerance)
            {
                if (fr >= 0) return r;
                continue; // a tangency narrower than the tolerance
            }
            var m = 0.5 * (l + r);
            stack.Push((m, r));
            stack.Push((l, m));
        }
        // f approaches a positive constant only beyond the horizon.
        return _constant > 0 ? horizon : double.PositiveInfinity;
    }

    private double Upper(double l, double r)
    {
        var f = _constant;
        foreach (var (a, tau) in _terms) f += a * Discretization.Decay(a > 0 ? l : r, tau);
        return f;
    }

    /// <summary>A lower bound of f′ on [l, r]; f′ = Σ −(a/τ)·e^(−s/τ).</summary>
    private double LowerSlope(double l, double r)
    {
        var slope = 0.0;
        foreach (var (a, tau) in _terms) slope += -a / tau * Discretization.Decay(a > 0 ? l : r, tau);
        return slope;
    }

    private double Bisect(double l, double r)
    {
        for (var k = 0; k < 200 && r - l > Tolerance; k++)
        {
            var m = 0.5 * (l + r);
            if (Value(m) >= 0) r = m;
            else l = m;
        }
        return r;
    }
}
