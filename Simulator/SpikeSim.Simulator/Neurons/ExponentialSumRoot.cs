namespace SpikeSim.Simulator.Neurons;

/// <summary>
/// f(s) = c + Σ_k a_k·e^(−s/τ_k) for s ≥ 0, and the first s at which it reaches zero from below.
/// Each exponential is monotone, so on [l, r] the term-wise extremes bound f and f′; a
/// left-first bisection of [0, H] discards intervals whose upper bound of f is negative and stops
/// on an interval where f is increasing and changes sign, where Newton's method, kept inside the
/// shrinking bracket (a bisection step wherever it would leave it), finds the root to
/// <see cref="Tolerance"/>. Nothing is sampled, so no crossing is stepped over.
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
        // Left-first subdivision keeps at most one pending interval per level, and it stops below the tolerance long before level 256.
        Span<(double L, double R)> stack = stackalloc (double, double)[256];
        var pending = 0;
        stack[pending++] = (0, horizon);
        while (pending > 0)
        {
            var (l, r) = stack[--pending];
            if (Upper(l, r) < 0) continue;
            var fr = Value(r);
            if (fr >= 0 && LowerSlope(l, r) > 0) return Refine(l, r);
            if (r - l < Tolerance)
            {
                if (fr >= 0) return r;
                continue; // a tangency narrower than the tolerance
            }
            var m = 0.5 * (l + r);
            stack[pending++] = (m, r);
            stack[pending++] = (l, m);
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

    /// <summary>f′(<paramref name="s"/>).</summary>
    private double Slope(double s)
    {
        var slope = 0.0;
        foreach (var (a, tau) in _terms) slope += -a / tau * Discretization.Decay(s, tau);
        return slope;
    }

    /// <summary>
    /// The root in [l, r], where f(l) &lt; 0 ≤ f(r) and f increases: Newton steps from r inside the bracket, each point tightening
    /// it, until the bracket is narrower than the tolerance; when a step is already that small, the points a half-tolerance
    /// either side of it close the bracket. Returns the bracket's right end, so f there is ≥ 0, as bisection's would be.
    /// </summary>
    private double Refine(double l, double r)
    {
        var x = r;
        for (var k = 0; k < 200 && r - l > Tolerance; k++)
        {
            var fx = Value(x);
            if (fx >= 0) r = x;
            else l = x;
            var next = x - fx / Slope(x);
            if (!(next > l && next < r)) next = 0.5 * (l + r);
            else if (Math.Abs(next - x) < 0.5 * Tolerance)
            {
                if (Value(next + 0.5 * Tolerance) >= 0) r = Math.Min(r, next + 0.5 * Tolerance);
                if (Value(next - 0.5 * Tolerance) < 0) l = Math.Max(l, next - 0.5 * Tolerance);
                next = 0.5 * (l + r);
            }
            x = next;
        }
        return r;
    }
}
