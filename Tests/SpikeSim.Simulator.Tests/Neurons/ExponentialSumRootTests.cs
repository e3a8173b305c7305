using SpikeSim.Simulator.Neurons;
using Xunit;

namespace SpikeSim.Tests.Neurons;

/// <summary>The first-crossing finder for sums of exponentials, against dense brute-force scans.</summary>
public sealed class ExponentialSumRootTests
{
    private static double BruteForce(ExponentialSumRoot f, double horizon, double step = 1e-4)
    {
        for (var s = 0.0; s < horizon; s += step)
            if (f.Value(s + step) >= 0)
            {
                double l = s, r = s + step;
                for (var k = 0; k < 100; k++)
                {
                    var m = 0.5 * (l + r);
                    if (f.Value(m) >= 0) r = m; else l = m;
                }
                return r;
            }
        return double.PositiveInfinity;
    }

    [Fact]
    public void A_single_rise_to_a_positive_constant_crosses_where_the_closed_form_says()
    {
        // c + a·e^(−s/τ) with c > 0 > c + a: root at τ·ln(−a/c)
        var f = new ExponentialSumRoot(0.5, [(-2.0, 20.0)]);
        Assert.Equal(20 * Math.Log(4), f.FirstCrossing(), 11);
    }

    [Fact]
    public void A_transient_excursion_is_found_and_the_first_of_two_crossings_is_taken()
    {
        // Up through zero, back down, and up again towards a positive constant.
        var f = new ExponentialSumRoot(0.2, [(-3.0, 20.0), (6.0, 5.0), (-3.5, 2.0)]);
        var expected = BruteForce(f, 400);
        Assert.True(expected < 400);
        Assert.Equal(expected, f.FirstCrossing(), 9);
    }

    [Fact]
    public void A_sum_that_stays_negative_never_crosses()
    {
        var f = new ExponentialSumRoot(-0.1, [(-1.0, 20.0), (0.9, 5.0)]);
        Assert.Equal(double.PositiveInfinity, f.FirstCrossing());
    }

    [Fact]
    public void Random_sums_agree_with_brute_force_to_1e9_ms()
    {
        var rng = new Simulator.Random.Xoshiro256(12);
        for (var trial = 0; trial < 60; trial++)
        {
            var f = new ExponentialSumRoot(rng.NextDouble() - 0.6,
                [(-2 * rng.NextDouble() - 0.1, 20), (4 * rng.NextDouble() - 1, 5), (-3 * rng.NextDouble(), 10)]);
            if (f.Value(0) >= 0) continue;
            var expected = BruteForce(f, 300, 1e-3);
            var actual = f.FirstCrossing();
            if (double.IsPositiveInfinity(expected)) Assert.True(actual > 299, $"trial {trial}: found {actual} where a scan found none");
            else Assert.True(Math.Abs(actual - expected) < 1e-9, $"trial {trial}: {actual:R} vs {expected:R}");
        }
    }
}
