using SpikeSim.Learning.Layers;
using SpikeSim.Learning.Surrogates;
using SpikeSim.Simulator.Compute;
using SpikeSim.Tests.Support;
using Xunit;
using R = SpikeSim.Tests.Support.ReferenceBptt;
using SpikeSim.Simulator.Neurons;

namespace SpikeSim.Tests.Learning;

/// <summary>
/// BPTT gradients of every layer kind (recurrent ALIF, feed-forward LIF and ALIF, LI readout) against the
/// double-precision scalar reference, and the reference against finite differences where the forward is smooth.
/// </summary>
public sealed class GradientTests
{
    private const int Steps = 16, Batch = 3, Inputs = 5;

    public static TheoryData<SurrogateKind, ResetGradient, SpikeForward, ResetMode> Cases() => new()
    {
        { SurrogateKind.FastSigmoid, ResetGradient.Detached, SpikeForward.Step, ResetMode.SubtractAtNextStep },
        { SurrogateKind.Arctan, ResetGradient.Detached, SpikeForward.Step, ResetMode.SubtractAtNextStep },
        { SurrogateKind.Triangle, ResetGradient.Propagated, SpikeForward.Step, ResetMode.SubtractAtNextStep },
        { SurrogateKind.Sigmoid, ResetGradient.Propagated, SpikeForward.Step, ResetMode.SubtractAtNextStep },
        { SurrogateKind.FastSigmoid, ResetGradient.Propagated, SpikeForward.Smooth, ResetMode.SubtractAtNextStep },
        { SurrogateKind.Arctan, ResetGradient.Propagated, SpikeForward.Smooth, ResetMode.SubtractAtNextStep },
        { SurrogateKind.Sigmoid, ResetGradient.Detached, SpikeForward.Smooth, ResetMode.SubtractAtNextStep },
        { SurrogateKind.FastSigmoid, ResetGradient.Detached, SpikeForward.Step, ResetMode.ZeroAtNextStep },
        { SurrogateKind.Arctan, ResetGradient.Detached, SpikeForward.Smooth, ResetMode.ZeroAtNextStep },
    };

    [Theory, MemberData(nameof(Cases))]
    public void Every_layer_matches_the_scalar_double_reference(SurrogateKind surrogate, ResetGradient reset, SpikeForward forward, ResetMode spikeReset)
    {
        using var backend = new HostBackend();
        CompareWithReference(backend, Surrogate.Create(surrogate), reset, forward, spikeReset);
    }

    [Fact]
    public void A_propagated_reset_gradient_with_reset_to_zero_is_refused()
    {
        using var backend = new HostBackend();
        var options = SpikingOptions.Default with { Reset = ResetGradient.Propagated };
        Assert.Throws<SpikeSim.Simulator.Errors.InvalidParameterException>(() =>
            new SpikingLinear(backend, 2, 2, new LifCell(Reset: ResetMode.ZeroAtNextStep), options, new Random(1)));
    }

    [Fact]
    public void The_ilgpu_cpu_accelerator_computes_the_same_gradients()
    {
        using var backend = IlgpuBackend.TryCreate(DeviceKind.IlgpuCpuEmulator)!;
        CompareWithReference(backend, new ArctanSurrogate(), ResetGradient.Propagated, SpikeForward.Step);
    }

    [Theory]
    [InlineData(SurrogateKind.FastSigmoid)]
    [InlineData(SurrogateKind.Arctan)]
    [InlineData(SurrogateKind.Sigmoid)]
    [InlineData(SurrogateKind.Triangle)]
    public void With_a_smooth_forward_the_reference_gradient_is_the_finite_difference(SurrogateKind surrogate)
    {
        var options = R.For(Surrogate.Create(surrogate), smoothForward: true, propagateReset: true);
        var rng = new Random(3);
        var layers = RandomReferenceLayers(rng);
        var input = RandomInput(rng);
        var c = RandomCoefficients(rng, layers[^1].Outputs);
        var grads = R.Gradients(layers, input, options, c);
        double Loss()
        {
            var y = R.Forward(layers, input, options);
            double sum = 0;
            foreach (var (t, b, k) in Cells(y)) sum += c[t, b, k] * y[t, b, k];
            return sum;
        }
        const double eps = 1e-6;
        for (var li = 0; li < layers.Count; li++)
        {
            foreach (var (values, g) in new[] { (layers[li].Weight, grads[li].W), (layers[li].Bias, grads[li].B), (layers[li].Recurrent, grads[li].R) })
            {
                if (values is null) continue;
                for (var i = 0; i < values.Length; i++)
                {
                    var keep = values[i];
                    values[i] = keep + eps; var up = Loss();
                    values[i] = keep - eps; var down = Loss();
                    values[i] = keep;
                    var fd = (up - down) / (2 * eps);
                    Assert.True(Math.Abs(fd - g![i]) <= 1e-6 * (1 + Math.Abs(fd)), $"layer {li} [{i}]: analytic {g[i]}, finite difference {fd}");
                }
            }
        }
    }

    [Theory]
    [InlineData(SurrogateKind.FastSigmoid)]
    [InlineData(SurrogateKind.Arctan)]
    [InlineData(SurrogateKind.Sigmoid)]
    [InlineData(SurrogateKind.Triangle)]
    public void Each_surrogate_derivative_is_the_derivative_of_its_smooth_step(SurrogateKind kind)
    {
        var o = new SurrogateFunctions();
        Surrogate.Create(kind).Accept(o);
        foreach (var x in new[] { -2.0, -0.7, -0.31, -0.05, 0.02, 0.4, 0.77, 1.9 })
        {
            const double h = 1e-3;
            var fd = (o.Smooth(x + h) - o.Smooth(x - h)) / (2 * h);
            Assert.Equal(fd, o.Derivative(x), 2e-3);
        }
        Assert.True(o.Smooth(-50) < 1e-2 && o.Derivative(0) > o.Derivative(1), "a step: near zero far below threshold, steepest at it");
    }

    private static void CompareWithReference(IComputeBackend backend, Surrogate surrogate, ResetGradient reset, SpikeForward forward,
        ResetMode spikeReset = ResetMode.SubtractAtNextStep)
    {
        var options = new SpikingOptions(surrogate, DtMs: 1, Reset: reset, Forward: forward, InitGain: 2.5f);
        var rng = new Random(11);
        ILayer[] layers =
        [
            new SpikingRecurrent(backend, Inputs, 6, new AlifCell(TauMemMs: 8, TauAdaptMs: 30, AdaptationStrength: 0.5, Reset: spikeReset), options, rng),
            new SpikingLinear(backend, 6, 5, new LifCell(TauMemMs: 6, Reset: spikeReset), options, rng),
            new SpikingLinear(backend, 5, 4, new AlifCell(TauMemMs: 10, TauAdaptMs: 20, AdaptationStrength: 0.3, Reset: spikeReset), options, rng),
            new LeakyReadout(backend, 4, 3, tauMemMs: 12, dtMs: 1, initGain: 1, rng),
        ];
        using var network = new SpikingNetwork(backend, layers);
        var reference = layers.Select(ToReference).ToArray();
        var input = RandomInput(rng);
        var c = RandomCoefficients(rng, 3);
        var referenceOptions = R.For(surrogate, forward == SpikeForward.Smooth, reset == ResetGradient.Propagated);

        using var x = backend.Allocate<float>(Steps * Batch * Inputs);
        x.CopyFrom(Flatten(input).Select(v => (float)v).ToArray());
        var output = network.Forward(x.View, Steps, Batch).ToArrayOnHost(backend);
        var expected = Flatten(R.Forward(reference, input, referenceOptions));
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], output[i], 4);

        // Activity check: the comparison means nothing unless the spiking layers spike (and not always).
        var hidden = R.Forward(reference.Take(1).ToArray(), input, referenceOptions);
        var rate = Flatten(hidden).Average();
        Assert.InRange(rate, 0.05, 0.8);

        network.Backward(Flatten(c).Select(v => (float)v).ToArray());
        var grads = R.Gradients(reference, input, referenceOptions, c);
        for (var li = 0; li < layers.Length; li++)
        {
            var ps = layers[li].Parameters;
            var refs = new List<double[]> { grads[li].W };
            if (grads[li].R is { } r) refs.Add(r);
            refs.Add(grads[li].B);
            Assert.Equal(refs.Count, ps.Count);
            for (var k = 0; k < ps.Count; k++)
            {
                var got = ps[k].Gradient.ToArray();
                var error = RelativeError(got, refs[k]);
                Assert.True(error <= 1e-5, $"layer {li} {ps[k].Name}: relative error {error:e2}");
            }
        }
    }

    private static R.Layer ToReference(ILayer layer)
    {
        double[] D(Parameter p) => p.Value.ToArray().Select(v => (double)v).ToArray();
        return layer switch
        {
            SpikingRecurrent r => Spiking(R.Kind.Recurrent, r, D(r.Parameters[0]), D(r.Parameters[1]), D(r.Parameters[2]), r.Cell),
            SpikingLinear l => Spiking(R.Kind.Feedforward, l, D(l.Parameters[0]), null, D(l.Parameters[1]), l.Cell),
            LeakyReadout o => new R.Layer(R.Kind.Readout, o.Inputs, o.Outputs, Math.Exp(-1 / o.TauMemMs), 0, 0, 0, D(o.Parameters[0]), null, D(o.Parameters[1])),
            _ => throw new ArgumentException(layer.GetType().Name),
        };
    }

    private static R.Layer Spiking(R.Kind kind, ILayer l, double[] w, double[]? r, double[] b, ISpikingCell cell)
    {
        var c = cell.Discretize(1.0);
        return new R.Layer(kind, l.Inputs, l.Outputs, c.MembraneDecay, c.Threshold, c.DecayAdapt, c.Beta, w, r, b, c.ResetsToZero);
    }

    private static List<R.Layer> RandomReferenceLayers(Random rng)
    {
        double[] Rand(int n, double scale) => Enumerable.Range(0, n).Select(_ => (rng.NextDouble() * 2 - 1) * scale).ToArray();
        return
        [
            new R.Layer(R.Kind.Recurrent, Inputs, 4, 0.85, 1, 0.9, 0.4, Rand(4 * Inputs, 1.2), Rand(16, 0.8), Rand(4, 0.2)),
            new R.Layer(R.Kind.Feedforward, 4, 3, 0.8, 1, 0.95, 0.2, Rand(12, 1.5), null, Rand(3, 0.2)),
            new R.Layer(R.Kind.Readout, 3, 2, 0.9, 0, 0, 0, Rand(6, 1), null, Rand(2, 0.1)),
        ];
    }

    private static double[,,] RandomInput(Random rng)
    {
        var x = new double[Steps, Batch, Inputs];
        foreach (var (t, b, i) in Cells(x)) x[t, b, i] = rng.NextDouble() * 1.5;
        return x;
    }

    private static double[,,] RandomCoefficients(Random rng, int outputs)
    {
        var c = new double[Steps, Batch, outputs];
        foreach (var (t, b, k) in Cells(c)) c[t, b, k] = rng.NextDouble() * 2 - 1;
        return c;
    }

    private static IEnumerable<(int, int, int)> Cells(double[,,] a)
    {
        for (var t = 0; t < a.GetLength(0); t++)
        for (var b = 0; b < a.GetLength(1); b++)
        for (var k = 0; k < a.GetLength(2); k++) yield return (t, b, k);
    }

    private static double[] Flatten(double[,,] a) => Cells(a).Select(i => a[i.Item1, i.Item2, i.Item3]).ToArray();

    private static double RelativeError(float[] got, double[] expected)
    {
        double diff = 0, norm = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            diff += (got[i] - expected[i]) * (got[i] - expected[i]);
            norm += expected[i] * expected[i];
        }
        return Math.Sqrt(diff) / Math.Max(Math.Sqrt(norm), 1e-12);
    }

    /// <summary>The float functions of the struct a <see cref="Surrogate"/> stands for.</summary>
    private sealed class SurrogateFunctions : ISurrogateVisitor
    {
        public Func<double, double> Smooth = _ => 0, Derivative = _ => 0;
        public void Visit<TSurrogate>(TSurrogate s) where TSurrogate : struct, ISurrogate
            => (Smooth, Derivative) = (x => s.Smooth((float)x), x => s.Derivative((float)x));
    }
}

internal static class ViewExtensions
{
    public static float[] ToArrayOnHost(this ILGPU.ArrayView<float> view, IComputeBackend backend)
    {
        backend.Synchronize();
        var result = new float[view.Length];
        ILGPU.Runtime.ArrayViewExtensions.CopyToCPU(view, result);
        return result;
    }
}
