using SpikeSim.Simulator.Compute;
using SpikeSim.Simulator.Neurons;
using Xunit;

namespace SpikeSim.Tests.Compute;

/// <summary>The host launcher: range methods equal per-index execution; chunking covers every index once.</summary>
public sealed class HostLauncherTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(HostBackend.ParallelThreshold - 1)]
    [InlineData(HostBackend.ParallelThreshold * 3 + 17)]
    public void Parallel_launch_computes_every_index_exactly_once(int n)
    {
        using var backend = new HostBackend(threads: 2);
        using var y = backend.Allocate<float>(n);
        using var x = backend.Allocate<float>(n);
        x.CopyFrom(Enumerable.Range(0, n).Select(i => (float)i).ToArray());
        for (var repeat = 0; repeat < 3; repeat++) backend.Launch(n, new AxpyKernel(y.View, y.View, 1f, x.View));
        var result = y.ToArray();
        for (var i = 0; i < n; i++) Assert.Equal(3f * i, result[i]);
    }

    [Fact]
    public void Thousands_of_back_to_back_parallel_launches_each_cover_every_index_once()
    {
        // Varying sizes change the chunk count between launches, where a late worker could claim a chunk twice.
        using var backend = new HostBackend(threads: 2);
        const int max = HostBackend.ParallelThreshold * 4;
        using var counts = backend.Allocate<float>(max);
        using var ones = backend.Allocate<float>(max);
        ones.CopyFrom(Enumerable.Repeat(1f, max).ToArray());
        var expected = new float[max];
        var rng = new Simulator.Random.Xoshiro256(1);
        for (var launch = 0; launch < 3000; launch++)
        {
            var n = HostBackend.ParallelThreshold + rng.NextInt(max - HostBackend.ParallelThreshold);
            backend.Launch(n, new AxpyKernel(counts.View, counts.View, 1f, ones.View));
            for (var i = 0; i < n; i++) expected[i]++;
        }
        Assert.Equal(expected, counts.ToArray());
    }

    [Fact]
    public void Parallel_launches_from_several_threads_at_once_each_cover_every_index()
    {
        // Test classes share one backend and xunit runs them in parallel: launches must not interleave.
        using var backend = new HostBackend(threads: 2);
        const int n = HostBackend.ParallelThreshold * 2;
        var buffers = Enumerable.Range(0, 4).Select(_ => backend.Allocate<float>(n)).ToArray();
        using var ones = backend.Allocate<float>(n);
        ones.CopyFrom(Enumerable.Repeat(1f, n).ToArray());
        Parallel.For(0, 4, t =>
        {
            for (var launch = 0; launch < 300; launch++) backend.Launch(n, new AxpyKernel(buffers[t].View, buffers[t].View, 1f, ones.View));
        });
        foreach (var buffer in buffers)
        {
            Assert.All(buffer.ToArray(), x => Assert.Equal(300f, x));
            buffer.Dispose();
        }
    }

    [Theory]
    [InlineData(ResetMode.ToValue, SpikeComparison.Greater, true)]
    [InlineData(ResetMode.Subtract, SpikeComparison.Greater, true)]
    [InlineData(ResetMode.ToValue, SpikeComparison.GreaterOrEqual, true)]
    [InlineData(ResetMode.ToValue, SpikeComparison.Greater, false)]
    public void Vectorised_cuba_step_equals_the_scalar_step(ResetMode reset, SpikeComparison comparison, bool hasCurrent)
    {
        const int n = 1003;
        var constants = new CubaLif(TauMemMs: 20, TauSynExcMs: 5, TauSynInhMs: 10, VLeak: -49, VThreshold: -50, VReset: -60,
            RefractoryMs: 0.3, Reset: reset, Comparison: comparison).Discretize(0.1);
        var rng = new Simulator.Random.Xoshiro256(3);
        var states = Enumerable.Range(0, n).Select(_ => new CubaLifState(-60 + 10.5f * (float)rng.NextDouble(),
            (float)rng.NextDouble(), -(float)rng.NextDouble(), rng.NextInt(3))).ToArray();
        var inputs = Enumerable.Range(0, 2 * n).Select(_ => (float)rng.NextDouble()).ToArray();
        // Without a current the buffer holds zeros (NeuronStepArgs.HasCurrent) and the vector loop leaves it unread.
        var current = Enumerable.Range(0, n).Select(_ => hasCurrent ? (float)rng.NextDouble() - 0.5f : 0f).ToArray();

        using var backend = new HostBackend(threads: 1);
        using var v = backend.Allocate<float>(n);
        using var e = backend.Allocate<float>(n);
        using var h = backend.Allocate<float>(n);
        using var r = backend.Allocate<int>(n);
        using var input = backend.Allocate<float>(2 * n);
        using var i = backend.Allocate<float>(n);
        using var spikes = backend.Allocate<byte>(n);
        v.CopyFrom(states.Select(s => s.V).ToArray());
        e.CopyFrom(states.Select(s => s.ISynExc).ToArray());
        h.CopyFrom(states.Select(s => s.ISynInh).ToArray());
        r.CopyFrom(states.Select(s => s.Refractory).ToArray());
        input.CopyFrom(inputs);
        i.CopyFrom(current);
        var kernel = new CubaLifStepKernel(constants, v.View, e.View, h.View, r.View, new NeuronStepArgs(input.View, i.View, spikes.View, 0, hasCurrent), n);
        kernel.ExecuteRange(0, n);

        for (var k = 0; k < n; k++)
        {
            var s = states[k];
            var fired = CubaLif.Step(ref s, constants, inputs[k], inputs[n + k], current[k]);
            Assert.Equal(BitConverter.SingleToInt32Bits(s.V), BitConverter.SingleToInt32Bits(v.HostSpan[k]));
            Assert.Equal(s.ISynExc, e.HostSpan[k]);
            Assert.Equal(s.ISynInh, h.HostSpan[k]);
            Assert.Equal(s.Refractory, r.HostSpan[k]);
            Assert.Equal(fired ? 1 : 0, spikes.HostSpan[k]);
        }
        Assert.All(input.ToArray(), x => Assert.Equal(0f, x));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Vectorised_lif_step_equals_the_scalar_step(bool hasCurrent)
    {
        const int n = 1003;
        var constants = new Lif(TauMs: 20, VLeak: -49, VThreshold: -50, VReset: -60, RefractoryMs: 0.3).Discretize(0.1);
        var rng = new Simulator.Random.Xoshiro256(5);
        var states = Enumerable.Range(0, n).Select(_ => new LifState(-60 + 10.5f * (float)rng.NextDouble(), rng.NextInt(3))).ToArray();
        var inputs = Enumerable.Range(0, n).Select(_ => (float)rng.NextDouble() - 0.3f).ToArray();
        var current = Enumerable.Range(0, n).Select(_ => hasCurrent ? (float)rng.NextDouble() - 0.5f : 0f).ToArray();

        using var backend = new HostBackend(threads: 1);
        using var v = backend.Allocate<float>(n);
        using var r = backend.Allocate<int>(n);
        using var input = backend.Allocate<float>(n);
        using var i = backend.Allocate<float>(n);
        using var spikes = backend.Allocate<byte>(n);
        v.CopyFrom(states.Select(s => s.V).ToArray());
        r.CopyFrom(states.Select(s => s.Refractory).ToArray());
        input.CopyFrom(inputs);
        i.CopyFrom(current);
        new LifStepKernel(constants, v.View, r.View, new NeuronStepArgs(input.View, i.View, spikes.View, 0, hasCurrent)).ExecuteRange(0, n);

        for (var k = 0; k < n; k++)
        {
            var s = states[k];
            var fired = Lif.Step(ref s, constants, inputs[k], current[k]);
            Assert.Equal(BitConverter.SingleToInt32Bits(s.V), BitConverter.SingleToInt32Bits(v.HostSpan[k]));
            Assert.Equal(s.Refractory, r.HostSpan[k]);
            Assert.Equal(fired ? 1 : 0, spikes.HostSpan[k]);
        }
        Assert.All(input.ToArray(), x => Assert.Equal(0f, x));
    }
}
