using ILGPU.Runtime;
using BenchmarkDotNet.Attributes;
using SpikeSim.Learning.Layers;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.LinearAlgebra;

namespace SpikeSim.Benchmarks;

/// <summary>
/// The host GEMM on a 1024³ product in the three layouts training uses (GFLOP/s = 2·1024³ / time), and a
/// Linear(784→512)+LIF layer's forward + backward at batch 16, T = 100, next to its two GEMMs alone.
/// </summary>
public class TrainingBenchmarks
{
    private HostBackend _backend = null!;
    private HostGemm _gemm = null!;
    private DeviceBuffer<float> _a = null!, _b = null!, _c = null!, _x = null!, _out = null!, _grad = null!, _gradSource = null!;
    private SpikingLinear _layer = null!;
    private const int N = 1024, In = 784, Out = 512, Batch = 16, Steps = 100;

    [GlobalSetup]
    public void Setup()
    {
        _backend = new HostBackend();
        _gemm = new HostGemm();
        var rng = new Random(1);
        DeviceBuffer<float> Fill(long n, Func<float> f)
        {
            var buffer = _backend.Allocate<float>(n);
            var values = new float[n];
            for (var i = 0; i < n; i++) values[i] = f();
            buffer.CopyFrom(values);
            return buffer;
        }
        (_a, _b, _c) = (Fill(N * N, () => rng.NextSingle()), Fill(N * N, () => rng.NextSingle()), _backend.Allocate<float>(N * N));
        _x = Fill(Steps * Batch * In, () => rng.NextDouble() < 0.1 ? 1f : 0f);
        _out = _backend.Allocate<float>(Steps * Batch * Out);
        _gradSource = Fill(Steps * Batch * Out, () => (rng.NextSingle() - 0.5f) * 0.01f);
        _grad = _backend.Allocate<float>(Steps * Batch * Out);
        _layer = new SpikingLinear(_backend, In, Out, new LifCell(), SpikingOptions.Default, new Random(1));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _layer.Dispose();
        foreach (var b in new[] { _a, _b, _c, _x, _out, _grad, _gradSource }) b.Dispose();
        _gemm.Dispose();
        _backend.Dispose();
    }

    [Benchmark]
    public void Gemm1024NN() => _gemm.Multiply(MatrixOp.None, MatrixOp.None, N, N, N, 1f, _a.View, _b.View, 0f, _c.View);

    [Benchmark]
    public void Gemm1024NT() => _gemm.Multiply(MatrixOp.None, MatrixOp.Transpose, N, N, N, 1f, _a.View, _b.View, 0f, _c.View);

    [Benchmark]
    public void Gemm1024TN() => _gemm.Multiply(MatrixOp.Transpose, MatrixOp.None, N, N, N, 1f, _a.View, _b.View, 0f, _c.View);

    [Benchmark]
    public void LifLayerForwardBackward()
    {
        var context = new LayerContext(_backend, _gemm, Steps, Batch);
        _layer.Forward(context, _x.View, _out.View);
        _grad.View.CopyFrom(_gradSource.View); // ∂L/∂s is consumed in place; start from the same values each time
        _layer.Backward(context, _x.View, _grad.View, default);
    }

    [Benchmark]
    public void LifLayerGemmsOnly()
    {
        var w = _layer.Parameters[0];
        _gemm.Multiply(MatrixOp.None, MatrixOp.Transpose, Steps * Batch, Out, In, 1f, _x.View, w.Value.View, 0f, _out.View);
        _gemm.Multiply(MatrixOp.Transpose, MatrixOp.None, Out, In, Steps * Batch, 1f, _grad.View, _x.View, 0f, w.Gradient.View);
    }
}
