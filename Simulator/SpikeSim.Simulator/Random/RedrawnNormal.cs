using SpikeSim.Simulator.Errors;

namespace SpikeSim.Simulator.Random;

/// <summary>
/// A normal distribution N(<see cref="Mean"/>, <see cref="Sd"/>²) redrawn until the value lies in
/// [<see cref="Min"/>, <see cref="Max"/>]: NEST's <c>nest.math.redraw(nest.random.normal(mean, std), min, max)</c>,
/// which truncates the distribution (it never clips a value onto a bound). An Sd of 0 is the constant Mean.
/// </summary>
public sealed record RedrawnNormal(double Mean, double Sd, double Min = double.NegativeInfinity, double Max = double.PositiveInfinity)
{
    /// <summary>Redraws allowed before a draw is refused; the constructor's check makes reaching it practically impossible.</summary>
    public const int MaxAttempts = 256;

    /// <summary>A constant value.</summary>
    public static RedrawnNormal Constant(double value) => new(value, 0);

    /// <summary>Throws unless the parameters are finite and the interval holds at least 1 % of the distribution.</summary>
    public void Validate(string what)
    {
        if (!double.IsFinite(Mean) || !double.IsFinite(Sd) || Sd < 0)
            throw new InvalidParameterException($"The {what} distribution needs a finite mean and a finite, non-negative sd (got {Mean}, {Sd}).");
        if (double.IsNaN(Min) || double.IsNaN(Max) || Min > Max)
            throw new InvalidParameterException($"The {what} distribution's bounds must satisfy min ≤ max (got {Min}, {Max}).");
        var mass = Sd == 0 ? (Mean >= Min && Mean <= Max ? 1 : 0) : Phi((Max - Mean) / Sd) - Phi((Min - Mean) / Sd);
        if (!(mass >= 0.01))
            throw new InvalidParameterException($"The {what} distribution N({Mean}, {Sd}²) puts {mass:0.###e0} of its mass in [{Min}, {Max}]; redrawing would not end.");
    }

    /// <summary>
    /// The value for (seed, stream, counter): attempt a draws from stream + a·2²⁴, so every attempt is an independent
    /// counter-based number and the result never depends on the order of draws.
    /// </summary>
    public double Draw(ulong seed, uint stream, uint counter)
    {
        if (Sd == 0) return Mean;
        for (var attempt = 0u; attempt < MaxAttempts; attempt++)
        {
            var x = Mean + Sd * CounterRng.Normal(seed, stream + (attempt << 24), counter);
            if (x >= Min && x <= Max) return x;
        }
        throw new InvalidParameterException($"N({Mean}, {Sd}²) gave no value in [{Min}, {Max}] in {MaxAttempts} draws.");
    }

    /// <summary>The standard normal CDF (Abramowitz–Stegun 7.1.26 erf, error below 1.5e-7: only for the check above).</summary>
    private static double Phi(double z)
    {
        if (double.IsPositiveInfinity(z)) return 1;
        if (double.IsNegativeInfinity(z)) return 0;
        var x = Math.Abs(z) / Math.Sqrt(2);
        var t = 1 / (1 + 0.3275911 * x);
        var erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x);
        return 0.5 * (1 + Math.Sign(z) * erf);
    }
}
