using SpikeSim.Learning.Layers;
using SpikeSim.Learning.Surrogates;

namespace SpikeSim.Tests.Support;

/// <summary>
/// A plain scalar double-precision implementation of the training layers' equations (the doc comments of
/// <see cref="ISpikingCell"/>, <see cref="SpikingRecurrent"/> and <see cref="LeakyReadout"/>), forward and
/// backward, written independently of the kernels: loops over steps, samples and neurons, nothing shared.
/// </summary>
public static class ReferenceBptt
{
    public enum Kind { Feedforward, Recurrent, Readout }

    /// <summary>One layer: its kind, constants and parameters as doubles (weight [out, in], recurrent [out, out], bias [out]).</summary>
    public sealed record Layer(Kind Kind, int Inputs, int Outputs, double Beta, double Threshold, double Rho, double Adaptation,
        double[] Weight, double[]? Recurrent, double[] Bias, bool ResetToZero = false);

    public sealed record Options(Func<double, double> Derivative, Func<double, double> Smooth, bool SmoothForward, bool PropagateReset);

    /// <summary>Options for a surrogate, with its formulas written out again in double precision.</summary>
    public static Options For(Surrogate surrogate, bool smoothForward, bool propagateReset)
    {
        double k = surrogate.Slope;
        var (d, s) = surrogate switch
        {
            FastSigmoidSurrogate => ((Func<double, double>, Func<double, double>))(x => 1 / Math.Pow(1 + k * Math.Abs(x), 2), x => x / (1 + k * Math.Abs(x)) + 1 / k),
            ArctanSurrogate => ((Func<double, double>, Func<double, double>))(x => k / 2 / (1 + Math.Pow(Math.PI * k * x / 2, 2)), x => Math.Atan(Math.PI * k * x / 2) / Math.PI + 0.5),
            SigmoidSurrogate => ((Func<double, double>, Func<double, double>))(x => k * Logistic(k * x) * (1 - Logistic(k * x)), x => Logistic(k * x)),
            TriangleSurrogate => ((Func<double, double>, Func<double, double>))(x => k * Math.Max(0, 1 - k * Math.Abs(x)),
                x => k * x <= -1 ? 0 : k * x >= 1 ? 1 : x < 0 ? 0.5 * Math.Pow(1 + k * x, 2) : 1 - 0.5 * Math.Pow(1 - k * x, 2)),
            _ => throw new ArgumentException(surrogate.Kind.ToString()),
        };
        return new(d, s, smoothForward, propagateReset);
    }

    private static double Logistic(double z) => 1 / (1 + Math.Exp(-z));

    /// <summary>Output [t, b, k] of the last layer for input [t, b, i].</summary>
    public static double[,,] Forward(IReadOnlyList<Layer> layers, double[,,] input, Options o)
        => Run(layers, input, o, null).Output;

    /// <summary>Gradients of L = Σ c[t,b,k]·output[t,b,k], per layer: (weight, recurrent or null, bias).</summary>
    public static (double[] W, double[]? R, double[] B)[] Gradients(IReadOnlyList<Layer> layers, double[,,] input, Options o, double[,,] c)
        => Run(layers, input, o, c).Grads!;

    private static (double[,,] Output, (double[] W, double[]? R, double[] B)[]? Grads) Run(
        IReadOnlyList<Layer> layers, double[,,] input, Options o, double[,,]? c)
    {
        var acts = new List<double[,,]> { input };
        var hs = new List<double[,,]>();
        var xs = new List<double[,,]>();
        foreach (var l in layers)
        {
            var (h, x, y) = LayerForward(l, acts[^1], o);
            hs.Add(h); xs.Add(x); acts.Add(y);
        }
        if (c is null) return (acts[^1], null);
        var grads = new (double[] W, double[]? R, double[] B)[layers.Count];
        var gOut = c;
        for (var k = layers.Count - 1; k >= 0; k--)
        {
            var (gIn, g) = LayerBackward(layers[k], acts[k], xs[k], acts[k + 1], gOut, o);
            grads[k] = g;
            gOut = gIn;
        }
        return (acts[^1], grads);
    }

    private static (double[,,] H, double[,,] X, double[,,] Y) LayerForward(Layer l, double[,,] input, Options o)
    {
        int T = input.GetLength(0), B = input.GetLength(1);
        var h = new double[T, B, l.Outputs];
        var x = new double[T, B, l.Outputs];
        var y = new double[T, B, l.Outputs];
        for (var b = 0; b < B; b++)
        {
            var u = new double[l.Outputs];
            var a = new double[l.Outputs];
            var s = new double[l.Outputs];
            for (var t = 0; t < T; t++)
            {
                var sPrev = (double[])s.Clone();
                for (var n = 0; n < l.Outputs; n++)
                {
                    var sum = l.Bias[n];
                    for (var i = 0; i < l.Inputs; i++) sum += l.Weight[n * l.Inputs + i] * input[t, b, i];
                    if (l.Kind == Kind.Recurrent)
                        for (var m = 0; m < l.Outputs; m++) sum += l.Recurrent![n * l.Outputs + m] * sPrev[m];
                    h[t, b, n] = sum;
                    if (l.Kind == Kind.Readout)
                    {
                        u[n] = l.Beta * u[n] + sum;
                        y[t, b, n] = u[n];
                        continue;
                    }
                    a[n] = l.Rho * a[n] + sPrev[n];
                    u[n] = l.ResetToZero ? l.Beta * u[n] * (1 - sPrev[n]) + sum : l.Beta * u[n] + sum - l.Threshold * sPrev[n];
                    x[t, b, n] = u[n] - l.Threshold - l.Adaptation * a[n];
                    s[n] = o.SmoothForward ? o.Smooth(x[t, b, n]) : x[t, b, n] > 0 ? 1 : 0;
                    y[t, b, n] = s[n];
                }
            }
        }
        return (h, x, y);
    }

    private static (double[,,] GradIn, (double[] W, double[]? R, double[] B) Grads) LayerBackward(
        Layer l, double[,,] input, double[,,] x, double[,,] y, double[,,] gOut, Options o)
    {
        int T = input.GetLength(0), B = input.GetLength(1);
        var gh = new double[T, B, l.Outputs];
        for (var b = 0; b < B; b++)
        {
            var gu = new double[l.Outputs];
            var ga = new double[l.Outputs];
            for (var t = T - 1; t >= 0; t--)
            {
                var ghNext = new double[l.Outputs];
                for (var n = 0; n < l.Outputs; n++) ghNext[n] = t + 1 < T ? gh[t + 1, b, n] : 0;
                for (var n = 0; n < l.Outputs; n++)
                {
                    if (l.Kind == Kind.Readout)
                    {
                        gu[n] = gOut[t, b, n] + l.Beta * gu[n];
                        gh[t, b, n] = gu[n];
                        continue;
                    }
                    var gs = gOut[t, b, n] + ga[n];
                    if (o.PropagateReset) gs -= l.Threshold * gu[n];
                    if (l.Kind == Kind.Recurrent)
                        for (var m = 0; m < l.Outputs; m++) gs += l.Recurrent![m * l.Outputs + n] * ghNext[m];
                    var gx = gs * o.Derivative(x[t, b, n]);
                    // With reset to zero, u[t+1] = β·u[t]·(1 − s[t]) + …, s[t] detached.
                    gu[n] = gx + l.Beta * (l.ResetToZero ? 1 - y[t, b, n] : 1) * gu[n];
                    ga[n] = l.Rho * ga[n] - l.Adaptation * gx;
                    gh[t, b, n] = gu[n];
                }
            }
        }
        var gW = new double[l.Outputs * l.Inputs];
        var gR = l.Kind == Kind.Recurrent ? new double[l.Outputs * l.Outputs] : null;
        var gB = new double[l.Outputs];
        var gIn = new double[T, B, l.Inputs];
        for (var t = 0; t < T; t++)
        for (var b = 0; b < B; b++)
        for (var n = 0; n < l.Outputs; n++)
        {
            var g = gh[t, b, n];
            gB[n] += g;
            for (var i = 0; i < l.Inputs; i++)
            {
                gW[n * l.Inputs + i] += g * input[t, b, i];
                gIn[t, b, i] += g * l.Weight[n * l.Inputs + i];
            }
            if (gR is not null && t > 0)
                for (var m = 0; m < l.Outputs; m++) gR[n * l.Outputs + m] += g * y[t - 1, b, m];
        }
        return (gIn, (gW, gR, gB));
    }
}
