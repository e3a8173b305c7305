using ILGPU;
using ILGPU.Runtime;

namespace SpikeSim.Simulator.Compute;

/// <summary>
/// A one-dimensional buffer owned by a host object (a population, a projection); kernels see
/// only its <see cref="View"/>. Host reads and writes go through <see cref="CopyFrom(ReadOnlySpan{T}, long)"/> and
/// <see cref="CopyTo(Span{T}, long)"/>, or <see cref="HostSpan"/> where the backend's memory is host memory.
/// </summary>
public sealed class DeviceBuffer<T> : IDisposable where T : unmanaged
{
    private readonly MemoryBuffer1D<T, Stride1D.Dense> _buffer;
    private readonly ArrayView<T> _view;
    private readonly bool _isHostMemory;
    private readonly HostReadCounter? _reads;

    /// <summary>
    /// Wraps <paramref name="length"/> elements of <paramref name="buffer"/> from <paramref name="offset"/>; host reads are
    /// counted in <paramref name="reads"/> where the backend counts them.
    /// </summary>
    internal DeviceBuffer(MemoryBuffer1D<T, Stride1D.Dense> buffer, bool isHostMemory, long offset = 0, long length = -1, HostReadCounter? reads = null)
    {
        _buffer = buffer;
        _isHostMemory = isHostMemory;
        _reads = reads;
        _view = ((ArrayView<T>)buffer.View).SubView(offset, length < 0 ? buffer.Length - offset : length);
        _buffer.MemSetToZero();
    }

    /// <summary>Number of elements.</summary>
    public long Length => _view.Length;

    /// <summary>Bytes held on the device.</summary>
    public long Bytes => _view.LengthInBytes;

    /// <summary>The view kernels take.</summary>
    public ArrayView<T> View => _view;

    /// <summary>The buffer as a span; only where the backend's memory is host memory.</summary>
    public Span<T> HostSpan => _isHostMemory
        ? _view.AsSpan()
        : throw new InvalidOperationException("This buffer lives on a GPU; copy it with CopyTo.");

    /// <summary>Copies <paramref name="source"/> into the start of the buffer.</summary>
    public void CopyFrom(ReadOnlySpan<T> source) => CopyFrom(source, 0);

    /// <summary>Copies <paramref name="source"/> into the buffer from element <paramref name="offset"/>.</summary>
    public void CopyFrom(ReadOnlySpan<T> source, long offset)
    {
        if (offset < 0 || offset + source.Length > Length) throw new ArgumentException("Source does not fit the buffer there.", nameof(source));
        if (_isHostMemory) { source.CopyTo(HostSpan[(int)offset..]); return; }
        _view.SubView(offset, source.Length).CopyFromCPU(source);
    }

    /// <summary>The contents for reading on the host: the memory itself where it is host memory, else a copy.</summary>
    public ReadOnlySpan<T> HostSpanOrCopy()
    {
        if (!_isHostMemory) return ToArray();
        _reads?.Count();
        return HostSpan;
    }

    /// <summary>Copies the start of the buffer into <paramref name="destination"/>.</summary>
    public void CopyTo(Span<T> destination) => CopyTo(destination, 0);

    /// <summary>Copies the elements from <paramref name="offset"/> on into <paramref name="destination"/>.</summary>
    public void CopyTo(Span<T> destination, long offset)
    {
        if (offset < 0 || offset + destination.Length > Length) throw new ArgumentException("Destination reaches past the buffer.", nameof(destination));
        _reads?.Count();
        if (_isHostMemory) { HostSpan.Slice((int)offset, destination.Length).CopyTo(destination); return; }
        _view.SubView(offset, destination.Length).CopyToCPU(destination);
    }

    /// <summary>Copies the whole buffer into a new array.</summary>
    public T[] ToArray()
    {
        var result = new T[Length];
        CopyTo(result);
        return result;
    }

    /// <summary>Sets every element to zero.</summary>
    public void Clear() => _buffer.MemSetToZero();

    /// <inheritdoc />
    public void Dispose() => _buffer.Dispose();
}
