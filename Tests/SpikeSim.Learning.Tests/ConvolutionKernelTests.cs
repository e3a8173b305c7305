using SpikeSim.Simulator.Convolution.Kernels;
using SpikeSim.Simulator.Convolution;
using ILGPU;
using SpikeSim.Learning.Layers.Convolution;
using SpikeSim.Learning.Layers.Convolution.Kernels;
using SpikeSim.Learning.Layers.Kernels;
using SpikeSim.Simulator.Compute;
using Xunit;

namespace SpikeSim.Tests.Learning;

/// <summary>
/// The host range methods of the convolution kernels (cursors, SIMD over channels, copies of whole kernel rows) compute
/// bit for bit what <see cref="IKernel.Execute"/> — the code a GPU runs — computes index by index, for ranges that start
/// and end anywhere, on geometries with stride, padding, ragged edges and overlapping windows.
/// </summary>
public sealed class ConvolutionKernelTests
{
    public static TheoryData<int, int, int, int, int, int, int, int, int, int> ConvGeometries() => new()
    {
        // channels, height, width, out channels, kernel height, width, strides (y, x), paddings (y, x)
        { 1, 9, 9, 4, 5, 5, 1, 1, 0, 0 },
        { 3, 7, 6, 2, 3, 3, 2, 2, 1, 1 },
        { 12, 6, 6, 5, 3, 3, 1, 1, 2, 2 },
        { 5, 8, 7, 3, 4, 4, 3, 3, 1, 1 },
        { 2, 1, 12, 3, 1, 3, 1, 2, 0, 1 },   // a NIR Conv1d: a (C, 1, L) signal, a 1 × k kernel
        { 3, 7, 8, 2, 2, 3, 1, 2, 1, 0 },
    };

    [Theory, MemberData(nameof(ConvGeometries))]
    public void Im2col_and_col2im_ranges_equal_their_per_index_kernel(int c, int h, int w, int outC, int kh, int kw, int sy, int sx, int py, int px)
    {
        using var backend = new HostBackend(1);
        var g = new ConvGeometry(new ImageShape(c, h, w), outC, kh, kw, sy, sx, py, px);
        const int rows = 3;
        var x = Random(rows * g.Input.Size, 1);
        var colsLength = rows * g.Output.Pixels * g.Columns;
        AssertRangesEqual(backend, colsLength, rows * g.Input.Size, x, (input, output) => new Im2ColKernel(input, output, g, 0));
        var cols = Random(colsLength, 2);
        AssertRangesEqual(backend, rows * g.Input.Size, colsLength, cols, (input, output) => new Col2ImKernel(input, output, g, 0));
    }

    [Theory]
    [InlineData(PoolKind.Max, 2, 2)]
    [InlineData(PoolKind.Max, 3, 2)]
    [InlineData(PoolKind.Average, 2, 2)]
    [InlineData(PoolKind.Average, 3, 1)]
    [InlineData(PoolKind.Sum, 2, 2)]
    [InlineData(PoolKind.Sum, 3, 2)]
    public void Pooling_ranges_equal_their_per_index_kernels(PoolKind kind, int size, int stride)
    {
        using var backend = new HostBackend(1);
        var g = new PoolGeometry(new ImageShape(12, 7, 9), size, stride);
        const int rows = 3;
        var x = Random(rows * g.Input.Size, 3);
        // Ties matter for max pooling: round to a few values so that windows hold equal maxima.
        for (var i = 0; i < x.Length; i++) x[i] = MathF.Round(x[i] * 3);
        var outputs = rows * g.Output.Size;
        using var argmax = backend.Allocate<byte>(outputs);
        AssertRangesEqual(backend, outputs, x.Length, x, (input, output) => new Pool2dForwardKernel(input, output, argmax.View, g, kind));
        var gy = Random(outputs, 4);
        AssertRangesEqual(backend, x.Length, outputs, gy, (input, output) => new Pool2dBackwardKernel(argmax.View, input, output, g, kind));
    }

    [Fact]
    public void Transposes_and_broadcasts_equal_their_per_index_kernels()
    {
        using var backend = new HostBackend(1);
        var x = Random(3 * 35, 5);
        AssertRangesEqual(backend, x.Length, x.Length, x, (input, output) => new TransposeRowsKernel(input, output, 5, 7));
        AssertRangesEqual(backend, 3 * 13 * 7, 7, Random(7, 6), (row, output) => new BroadcastRowsKernel(output, row, 7));
    }

    /// <summary>Runs the kernel index by index, then by range methods over uneven pieces, and compares the outputs bit for bit.</summary>
    private static void AssertRangesEqual<TKernel>(IComputeBackend backend, int length, int inputLength, float[] input,
        Func<ArrayView<float>, ArrayView<float>, TKernel> create) where TKernel : struct, IRangeKernel
    {
        using var source = backend.Allocate<float>(inputLength);
        source.CopyFrom(input.AsSpan(0, inputLength));
        using var expected = backend.Allocate<float>(length);
        using var actual = backend.Allocate<float>(length);
        var one = create(source.View, expected.View);
        for (var i = 0; i < length; i++) one.Execute(i);
        var byExecute = expected.ToArray();
        var range = create(source.View, actual.View);
        var rng = new Random(length);
        for (var start = 0; start < length;)
        {
            var end = Math.Min(length, start + 1 + rng.Next(Math.Max(1, length / 5)));
            range.ExecuteRange(start, end);
            start = end;
        }
        var byRange = actual.ToArray();
        for (var i = 0; i < length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(byExecute[i]) == BitConverter.SingleToInt32Bits(byRange[i]) || (byExecute[i] == 0 && byRange[i] == 0),
                $"{typeof(TKernel).Name}[{i}]: Execute {byExecute[i]}, ExecuteRange {byRange[i]}");
    }

    private static float[] Random(int length, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
    }
}
