using SpikeSim.Learning.Torch.Plasticity;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SpikeSim.Tests.Learning;

/// <summary>Backpropamine's plastic layer against a step computed by hand.</summary>
public sealed class BackpropamineTests
{
    private static readonly double[,] W = { { 0.1, -0.2, 0.3 }, { 0.05, 0.4, -0.1 }, { -0.3, 0.2, 0.15 } };
    private static readonly double[,] Alpha = { { 0.5, 0.1, -0.2 }, { 0.3, -0.4, 0.2 }, { 0.1, 0.2, 0.3 } };
    private static readonly double[,] WIn = { { 0.2, -0.1 }, { 0.4, 0.3 }, { -0.5, 0.1 } };
    private static readonly double[] Bias = { 0.05, -0.05, 0.1 }, WM = { 0.7, -0.3, 0.5 }, HPrev = { 0.3, -0.6, 0.2 }, X = { 1.0, -0.5 };
    private static readonly double[,] P = { { 0.2, -0.1, 0.995 }, { 0.0, 0.5, -0.3 }, { 0.4, -0.8, 0.1 } };
    private static readonly double[,] E = { { 0.3, 0.2, 0.9 }, { -0.1, 0.0, 0.2 }, { 0.5, -0.2, 0.1 } };
    private const double Eta = 0.2, BM = 0.5;

    [Fact]
    public void One_retroactive_step_on_three_neurons_matches_the_hand_computation()
    {
        // By hand, in the paper's order: h, then M, then P from the old E, then E.
        var h = new double[3];
        for (var i = 0; i < 3; i++)
        {
            var sum = Bias[i];
            for (var k = 0; k < 2; k++) sum += WIn[i, k] * X[k];
            for (var j = 0; j < 3; j++) sum += (W[i, j] + Alpha[i, j] * P[i, j]) * HPrev[j];
            h[i] = Math.Tanh(sum);
        }
        var m = Math.Tanh(WM[0] * h[0] + WM[1] * h[1] + WM[2] * h[2] + BM);
        var expectedP = new double[3, 3];
        var expectedE = new double[3, 3];
        for (var i = 0; i < 3; i++)
        for (var j = 0; j < 3; j++)
        {
            expectedP[i, j] = Math.Clamp(P[i, j] + m * E[i, j], -1, 1);
            expectedE[i, j] = (1 - Eta) * E[i, j] + Eta * h[i] * HPrev[j];
        }
        Assert.True(m > 0 && expectedP[0, 2] == 1.0, $"the clip should be exercised (m = {m})"); // 0.995 + m·0.9 > 1

        using var net = new PlasticRnn(2, 3, 2, new Retroactive());
        Set(net);
        var state = new PlasticState(T(HPrev).reshape(1, 3), T(P).reshape(1, 3, 3), T(E).reshape(1, 3, 3));
        var (_, _, modulator, next) = net.Step(T(X).reshape(1, 2), state);
        Assert.Equal(m, modulator.data<float>()[0], 1e-6);
        var (hs, ps, es) = (next.H.data<float>().ToArray(), next.P.data<float>().ToArray(), next.E.data<float>().ToArray());
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(h[i], hs[i], 1e-6);
            for (var j = 0; j < 3; j++)
            {
                Assert.Equal(expectedP[i, j], ps[i * 3 + j], 1e-6);
                Assert.Equal(expectedE[i, j], es[i * 3 + j], 1e-6);
            }
        }
    }

    [Fact]
    public void Variants_differ_only_in_their_update()
    {
        foreach (var rule in PlasticityRule.All)
        {
            using var net = new PlasticRnn(2, 3, 2, rule);
            Set(net);
            var state = new PlasticState(T(HPrev).reshape(1, 3), T(P).reshape(1, 3, 3), T(E).reshape(1, 3, 3));
            var (_, _, _, next) = net.Step(T(X).reshape(1, 2), state);
            var p = next.P.data<float>().ToArray();
            switch (rule)
            {
                case NonPlastic: Assert.Equal(P[0, 0], p[0], 6); break; // P untouched (and unused)
                case HebbianPlastic: Assert.NotEqual((float)P[0, 0], p[0]); Assert.Equal(E[0, 0], next.E.data<float>()[0], 6); break;
                case Modulated: Assert.Equal(E[0, 0], next.E.data<float>()[0], 6); break;
                case Retroactive: Assert.NotEqual((float)E[0, 0], next.E.data<float>()[0]); break;
            }
        }
    }

    private static void Set(PlasticRnn net)
    {
        using var _ = no_grad();
        using var etaValue = Eta.ToScalar(); // held Scalars (see HeldScalars)
        using var bias = BM.ToScalar();
        var (w, alpha, eta, modulator, input) = net.Parts;
        w.copy_(T(W));
        alpha.copy_(T(Alpha));
        eta.fill_(etaValue);
        modulator.weight!.copy_(T(WM).reshape(1, 3));
        modulator.bias!.fill_(bias);
        input.weight!.copy_(T(WIn));
        input.bias!.copy_(T(Bias));
    }

    private static Tensor T(double[] v) => tensor(v.Select(x => (float)x).ToArray());

    private static Tensor T(double[,] v)
    {
        var (r, c) = (v.GetLength(0), v.GetLength(1));
        var flat = new float[r * c];
        for (var i = 0; i < r; i++) for (var j = 0; j < c; j++) flat[i * c + j] = (float)v[i, j];
        return tensor(flat).reshape(r, c);
    }
}
