using SpikeSim.Simulator.Compute;
using Xunit;

namespace SpikeSim.Tests.Compute;

/// <summary>Host copies into and out of a buffer at an offset, on host memory and on an ILGPU accelerator.</summary>
public sealed class DeviceBufferTests
{
    [Fact]
    public void Copies_at_an_offset_touch_only_their_slice_and_refuse_to_run_past_the_end()
    {
        using var host = new HostBackend();
        using var emulator = IlgpuBackend.TryCreate(DeviceKind.IlgpuCpuEmulator)!;
        foreach (IComputeBackend backend in new IComputeBackend[] { host, emulator })
        {
            using var buffer = backend.Allocate<float>(6);
            buffer.CopyFrom([1f, 2f], 3);
            Assert.Equal([0f, 0f, 0f, 1f, 2f, 0f], buffer.ToArray());
            var slice = new float[3];
            buffer.CopyTo(slice, 2);
            Assert.Equal([0f, 1f, 2f], slice);
            Assert.Throws<ArgumentException>(() => buffer.CopyFrom([1f, 2f], 5));
            Assert.Throws<ArgumentException>(() => buffer.CopyTo(new float[2], 5));
            Assert.Throws<ArgumentException>(() => buffer.CopyFrom([1f], -1));
        }
    }
}
