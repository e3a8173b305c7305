using SpikeSim.Learning.Evolution;
using SpikeSim.Learning.Plasticity;
using Xunit;

namespace SpikeSim.Tests.Plasticity;

/// <summary>The decomposed (and full) plasticity rule of Wang et al.: ΔW_ij = A_ij·post_i·pre_j + B_ij·post_i + C_ij·pre_j + D_ij.</summary>
public sealed class DecomposedRuleTests
{
    [Theory]
    [InlineData(true, 3)]
    [InlineData(true, 14)]
    [InlineData(true, 16)]
    [InlineData(true, 21)]
    [InlineData(false, 14)]
    [InlineData(false, 21)]
    public void The_vectorised_rule_update_gives_the_scalar_formulas_bits(bool decomposed, int pre)
    {
        // Lengths below, at and above Vector<float>.Count, so both the vector lanes and the scalar tail run.
        const int post = 5;
        var theta = new double[PlasticityCoefficients.Count(decomposed, post, pre)];
        Gaussian.Scaled(theta, 9, 0.7);
        var rule = new PlasticityCoefficients(decomposed, new ParameterReader(theta), post, pre);
        float F(int k) => (float)theta[k];
        var x = Enumerable.Range(0, pre).Select(j => MathF.Sin(j + 0.3f)).ToArray();
        for (var i = 0; i < post; i++)
        {
            var y = MathF.Cos(i * 1.7f);
            var target = Enumerable.Range(0, pre).Select(j => 0.1f * j).ToArray();
            var expected = (float[])target.Clone();
            for (var j = 0; j < pre; j++)
            {
                // Parameter layout: decomposed a_post, a_pre, b_post, b_pre, c_post, c_pre, d_post, d_pre; full A, B, C, D [post, pre].
                var (a, b, c, d) = decomposed
                    ? (F(i) * F(post + j), F(post + pre + i) * F(2 * post + pre + j), F(2 * (post + pre) + i) * F(3 * post + 2 * pre + j), F(3 * (post + pre) + i) * F(4 * post + 3 * pre + j))
                    : (F(i * pre + j), F(post * pre + i * pre + j), F(2 * post * pre + i * pre + j), F(3 * post * pre + i * pre + j));
                expected[j] += 0.2f * (a * y * x[j] + b * y + c * x[j] + d);
            }
            rule.AddRow(i, y, x, target, 0.2f);
            Assert.Equal(expected, target);
        }
    }
}
