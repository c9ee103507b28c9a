using System.Collections.Concurrent;
using System.IO.Compression;

namespace Panopticon.Sdk.Transport;

/// <summary>
/// Reusable buffers for gzip request bodies: a new one per request was most of what the SDK allocates per exported
/// batch (about 14 KB for 100 spans). Holds at most a few, none larger than <see cref="MaxKeptCapacity"/>.
/// </summary>
internal sealed class CompressedBodyBuffers
{
    internal const int MaxKeptCapacity = 256 * 1024;
    private const int MaxKept = 8; // two signals with two requests in flight each: four bodies at once, at most
    private readonly ConcurrentQueue<MemoryStream> _free = new();

    /// <summary>
    /// <paramref name="json"/> gzipped (fastest level: on loopback and fast links CPU costs more than bytes) into a
    /// buffer of this pool; <see cref="Return"/> it once the request no longer reads it.
    /// </summary>
    public MemoryStream Compress(ReadOnlySpan<byte> json)
    {
        var compressed = Rent(json.Length / 4 + 64);
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(json);
        }

        return compressed;
    }

    /// <summary>An empty buffer, reused when one is free.</summary>
    public MemoryStream Rent(int expectedLength)
    {
        if (_free.TryDequeue(out var buffer))
        {
            buffer.SetLength(0);
            return buffer;
        }

        return new MemoryStream(expectedLength);
    }

    /// <summary>Takes back a buffer nothing reads any more; large ones are left to the garbage collector.</summary>
    public void Return(MemoryStream buffer)
    {
        if (buffer.Capacity <= MaxKeptCapacity && _free.Count < MaxKept)
        {
            _free.Enqueue(buffer);
        }
    }
}
