using System.Runtime.Intrinsics;
using SpikeSim.Learning.Evolution;
using Xunit;

namespace SpikeSim.Experiments.Maze.Tests;

/// <summary>The decomposed rule kept factored is the rule: it multiplies like the full rule given A = a⊗a′, B = b⊗b′, C = c⊗c′, D = d⊗d′.</summary>
public sealed class LaneMatrixTests
{
    [Fact]
    public void The_factored_decomposed_rule_multiplies_like_the_full_rule_with_the_outer_products()
    {
        const int post = 5, pre = 7, lanes = 8, steps = 40;
        var random = new Random(12);
        double R() => random.NextDouble() * 2 - 1;
        var decomposedTheta = new double[lanes][];
        var fullTheta = new double[lanes][];
        for (var k = 0; k < lanes; k++)
        {
            double[] V(int n) => [.. Enumerable.Range(0, n).Select(_ => R())];
            var (a, a2, b, b2, c, c2, d, d2, wm) = (V(post), V(pre), V(post), V(pre), V(post), V(pre), V(post), V(pre), V(post));
            var bm = R();
            double[] Outer(double[] u, double[] v) => [.. from i in Enumerable.Range(0, post) from j in Enumerable.Range(0, pre) select (double)((float)u[i] * (float)v[j])];
            decomposedTheta[k] = [.. a, .. a2, .. b, .. b2, .. c, .. c2, .. d, .. d2, .. wm, bm];
            fullTheta[k] = [.. Outer(a, a2), .. Outer(b, b2), .. Outer(c, c2), .. Outer(d, d2), .. wm, bm];
        }
        var factored = LaneMatrix.Plastic(true, [.. decomposedTheta.Select(t => new ParameterReader(t))], post, pre);
        var full = LaneMatrix.Plastic(false, [.. fullTheta.Select(t => new ParameterReader(t))], post, pre);
        var input = new Vector256<float>[pre];
        double worst = 0;
        for (var s = 0; s < steps; s++)
        {
            var postValues = Enumerable.Range(0, post).Select(_ => Vector256.Create([.. Enumerable.Range(0, lanes).Select(_ => (float)R())])).ToArray();
            var preValues = Enumerable.Range(0, pre).Select(_ => Vector256.Create([.. Enumerable.Range(0, lanes).Select(_ => (float)R())])).ToArray();
            factored.Learn(postValues, preValues, 0.2f);
            full.Learn(postValues, preValues, 0.2f);
            for (var j = 0; j < pre; j++) input[j] = Vector256.Create([.. Enumerable.Range(0, lanes).Select(_ => (float)R())]);
            var (y1, y2) = (new Vector256<float>[post], new Vector256<float>[post]);
            factored.MultiplyAdd(input, y1);
            full.MultiplyAdd(input, y2);
            for (var i = 0; i < post; i++)
                for (var k = 0; k < lanes; k++)
                    worst = Math.Max(worst, Math.Abs(y1[i].GetElement(k) - y2[i].GetElement(k)) / (1 + Math.Abs(y2[i].GetElement(k))));
        }
        Assert.True(worst < 1e-4, $"largest relative difference {worst:g3}");
        Assert.True(worst > 0, "the two forms round differently; equal bits would mean one of them was not exercised");
    }
}
