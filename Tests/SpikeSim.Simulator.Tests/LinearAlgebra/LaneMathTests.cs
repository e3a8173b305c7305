using System.Runtime.Intrinsics;
using SpikeSim.Simulator.LinearAlgebra;
using Xunit;

namespace SpikeSim.Tests.LinearAlgebra;

/// <summary>LaneMath's tanh and exp: close to the true functions, and the same in every lane and for one number.</summary>
public sealed class LaneMathTests
{
    [Fact]
    public void Tanh_is_within_4e_7_of_tanh_and_odd()
    {
        for (var x = -12f; x <= 12f; x += 0.00037f)
        {
            var y = LaneMath.Tanh(x);
            Assert.True(Math.Abs(y - Math.Tanh(x)) <= 4e-7, $"tanh({x}) = {y}, not {Math.Tanh(x)}");
            Assert.Equal(-y, LaneMath.Tanh(-x));
        }
        Assert.Equal(LaneMath.Tanh(8f), LaneMath.Tanh(50f));
        Assert.True(1 - LaneMath.Tanh(50f) < 4e-7);
        Assert.Equal(1e-5f, LaneMath.Tanh(1e-5f));
    }

    [Fact]
    public void Exp_is_within_2_ulp_of_exp_and_saturates_without_infinities()
    {
        for (var x = -87f; x <= 88f; x += 0.0011f)
        {
            var y = LaneMath.Exp(x);
            Assert.True(Math.Abs(y - Math.Exp(x)) <= 2 * Math.Exp(x) * 5.97e-8, $"exp({x}) = {y}, not {Math.Exp(x)}");
        }
        Assert.Equal(1f, LaneMath.Exp(0f));
        Assert.True(float.IsFinite(LaneMath.Exp(1000f)) && LaneMath.Exp(-1000f) > 0);
    }

    [Fact]
    public void Every_lane_gives_the_bits_of_one_number()
    {
        var rng = new Random(3);
        for (var trial = 0; trial < 1000; trial++)
        {
            var values = Enumerable.Range(0, 8).Select(_ => (float)(rng.NextDouble() * 40 - 20)).ToArray();
            var (tanh, exp) = (LaneMath.Tanh(Vector256.Create(values)), LaneMath.Exp(Vector256.Create(values)));
            for (var k = 0; k < 8; k++)
            {
                Assert.Equal(BitConverter.SingleToInt32Bits(LaneMath.Tanh(values[k])), BitConverter.SingleToInt32Bits(tanh.GetElement(k)));
                Assert.Equal(BitConverter.SingleToInt32Bits(LaneMath.Exp(values[k])), BitConverter.SingleToInt32Bits(exp.GetElement(k)));
            }
        }
    }
}
