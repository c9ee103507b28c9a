using System.Buffers;

namespace Panopticon.Sdk.Serialization;

/// <summary>A growable byte buffer rented from the shared pool, which can be rolled back to an earlier length.</summary>
internal sealed class PooledByteBuffer(int initialCapacity = 16 * 1024) : IBufferWriter<byte>, IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);

    public int WrittenCount { get; private set; }

    public void Clear() => WrittenCount = 0;

    /// <summary>Forgets everything written after <paramref name="length"/> bytes.</summary>
    public void Truncate(int length) => WrittenCount = Math.Min(length, WrittenCount);

    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        Advance(bytes.Length);
    }

    /// <summary>Overwrites one byte already written.</summary>
    public void Set(int index, byte value)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)WrittenCount, nameof(index));
        _buffer[index] = value;
    }

    public void Write(byte value)
    {
        GetSpan(1)[0] = value;
        Advance(1);
    }

    public void Advance(int count) => WrittenCount += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsMemory(WrittenCount);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsSpan(WrittenCount);
    }

    /// <summary>
    /// Hands the written bytes' array over to the caller, who returns it to the shared pool, and starts again empty in a
    /// new array of <paramref name="capacity"/> bytes or more: a sealed batch takes the buffer instead of a copy of it.
    /// </summary>
    public byte[] Detach(int capacity)
    {
        var written = _buffer;
        _buffer = ArrayPool<byte>.Shared.Rent(capacity);
        WrittenCount = 0;
        return written;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        WrittenCount = 0;
    }

    private void Reserve(int sizeHint)
    {
        var needed = WrittenCount + Math.Max(sizeHint, 256);
        if (needed <= _buffer.Length)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
        _buffer.AsSpan(0, WrittenCount).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
