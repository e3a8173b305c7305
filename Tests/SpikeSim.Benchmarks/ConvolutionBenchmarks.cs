using SpikeSim.Simulator.Convolution;
using ILGPU.Runtime;
using BenchmarkDotNet.Attributes;
using SpikeSim.Learning.Layers;
using SpikeSim.Learning.Layers.Convolution;
using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.LinearAlgebra;

namespace SpikeSim.Benchmarks;

/// <summary>
/// The conv kernels of the MNIST network's second stage at batch 64, T = 25 (1600 rows): Conv2d(12→64, 5×5) on a
/// 12×12×12 image forward and backward (im2col, GEMMs, col2im), and 2×2 max pooling of its 64×8×8 output forward and
/// backward.
/// </summary>
public class ConvolutionBenchmarks
{
    private const int Rows = 64 * 25;
    private HostBackend _backend = null!;
    private HostGemm _gemm = null!;
    private Conv2d _conv = null!;
    private Pool2d _pool = null!;
    private DeviceBuffer<float> _x = null!, _convOut = null!, _poolOut = null!, _gradConv = null!, _gradPool = null!, _gradInput = null!, _gradSource = null!;

    [GlobalSetup]
    public void Setup()
    {
        _backend = new HostBackend();
        _gemm = new HostGemm();
        var rng = new Random(1);
        var geometry = new ConvGeometry(new ImageShape(12, 12, 12), 64, 5);
        _conv = new Conv2d(_backend, geometry, new WeightScale(0.9f, 1f, 1f), rng);
        _pool = new Pool2d(_backend, new PoolGeometry(geometry.Output, 2, 2), PoolKind.Max);
        DeviceBuffer<float> Fill(long n, Func<float> f)
        {
            var buffer = _backend.Allocate<float>(n);
            var values = new float[n];
            for (var i = 0; i < n; i++) values[i] = f();
            buffer.CopyFrom(values);
            return buffer;
        }
        _x = Fill((long)Rows * _conv.Inputs, () => rng.NextDouble() < 0.1 ? 1f : 0f);
        _convOut = _backend.Allocate<float>((long)Rows * _conv.Outputs);
        _poolOut = _backend.Allocate<float>((long)Rows * _pool.Outputs);
        _gradSource = Fill((long)Rows * _conv.Outputs, () => (rng.NextSingle() - 0.5f) * 0.01f);
        _gradConv = _backend.Allocate<float>((long)Rows * _conv.Outputs);
        _gradPool = Fill((long)Rows * _pool.Outputs, () => (rng.NextSingle() - 0.5f) * 0.01f);
        _gradInput = _backend.Allocate<float>((long)Rows * _conv.Inputs);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _conv.Dispose();
        _pool.Dispose();
        foreach (var b in new[] { _x, _convOut, _poolOut, _gradConv, _gradPool, _gradInput, _gradSource }) b.Dispose();
        _gemm.Dispose();
        _backend.Dispose();
    }

    private LayerContext Context => new(_backend, _gemm, 25, 64);

    [Benchmark]
    public void Conv2dForward() => _conv.Forward(Context, _x.View, _convOut.View);

    [Benchmark]
    public void Conv2dBackward()
    {
        _gradConv.View.CopyFrom(_gradSource.View);
        _conv.Backward(Context, _x.View, _gradConv.View, _gradInput.View);
    }

    [Benchmark]
    public void MaxPoolForwardBackward()
    {
        _pool.Forward(Context, _convOut.View, _poolOut.View);
        _pool.Backward(Context, default, _gradPool.View, _gradConv.View);
    }
}
