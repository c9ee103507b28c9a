using System.Buffers.Binary;
using Panopticon.Sdk.Engine;

namespace Panopticon.Sdk.Storage;

/// <summary>
/// How a <see cref="SerializedBatch"/> is laid out in its file (little-endian): a 40-byte header (magic <c>PNPB</c>,
/// version, signal, batch id, creation ticks, record count, JSON length), the record ends, the JSON, and the trailer
/// <c>PNPE</c>. Reading checks every length, the record ends against the JSON's commas and brackets, and the trailer,
/// so a truncated or overwritten file is refused instead of sent.
/// </summary>
internal static class BatchFileFormat
{
    public const int HeaderSize = 40;
    private const byte Version = 1;
    private static ReadOnlySpan<byte> Magic => "PNPB"u8;
    private static ReadOnlySpan<byte> Trailer => "PNPE"u8;

    /// <summary>Bytes the batch takes on disk.</summary>
    public static long SizeOf(SerializedBatch batch) => HeaderSize + (4L * batch.RecordCount) + batch.Json.Length + Trailer.Length;

    /// <summary>Writes the whole file to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, SerializedBatch batch)
    {
        var head = new byte[HeaderSize + (4 * batch.RecordCount)];
        Magic.CopyTo(head);
        head[4] = Version;
        head[5] = (byte)batch.Signal;
        batch.Id.TryWriteBytes(head.AsSpan(8, 16));
        BinaryPrimitives.WriteInt64LittleEndian(head.AsSpan(24), batch.CreatedAt.UtcTicks);
        BinaryPrimitives.WriteInt32LittleEndian(head.AsSpan(32), batch.RecordCount);
        BinaryPrimitives.WriteInt32LittleEndian(head.AsSpan(36), batch.Json.Length);
        for (var i = 0; i < batch.RecordCount; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(head.AsSpan(HeaderSize + (4 * i)), batch.RecordEnds[i]);
        }

        stream.Write(head);
        stream.Write(batch.Json.Span);
        stream.Write(Trailer);
    }

    /// <summary>The record count from a file's header, or why the header is unreadable.</summary>
    public static int? ReadRecordCount(ReadOnlySpan<byte> header, out string? problem)
    {
        problem = CheckHeader(header, out var records, out _);
        return problem is null ? records : null;
    }

    /// <summary>The batch in <paramref name="file"/>, or why the file cannot be one (then <see langword="null"/>).</summary>
    public static SerializedBatch? Read(ReadOnlySpan<byte> file, TelemetrySignal signal, BatchFileName name, out string? problem)
    {
        problem = CheckHeader(file, out var records, out var jsonLength);
        if (problem is not null)
        {
            return null;
        }

        var jsonStart = HeaderSize + (4L * records);
        if (file.Length != jsonStart + jsonLength + Trailer.Length)
        {
            problem = file.Length < jsonStart + jsonLength + Trailer.Length ? "truncated" : "longer than its header says";
            return null;
        }

        if (!file[^Trailer.Length..].SequenceEqual(Trailer))
        {
            problem = "no end marker";
            return null;
        }

        if (file[5] != (byte)signal || new Guid(file.Slice(8, 16)) != name.BatchId || BinaryPrimitives.ReadInt64LittleEndian(file[24..]) != name.CreatedTicks)
        {
            problem = "header does not match the file name";
            return null;
        }

        var json = file.Slice((int)jsonStart, jsonLength);
        var ends = new int[records];
        var previous = 0;
        for (var i = 0; i < records; i++)
        {
            var end = BinaryPrimitives.ReadInt32LittleEndian(file[(HeaderSize + (4 * i))..]);
            var last = i == records - 1;
            if (end <= previous || end >= json.Length || json[end] != (last ? (byte)']' : (byte)',') || (last && end != json.Length - 1))
            {
                problem = "record boundaries do not match the JSON";
                return null;
            }

            ends[i] = end;
            previous = end;
        }

        if (json[0] != (byte)'[')
        {
            problem = "not a JSON array";
            return null;
        }

        return new SerializedBatch(name.BatchId, signal, new DateTimeOffset(name.CreatedTicks, TimeSpan.Zero), json.ToArray(), ends);
    }

    private static string? CheckHeader(ReadOnlySpan<byte> file, out int records, out int jsonLength)
    {
        records = 0;
        jsonLength = 0;
        if (file.Length < HeaderSize)
        {
            return "truncated";
        }

        if (!file[..4].SequenceEqual(Magic) || file[4] != Version)
        {
            return "not a Panopticon batch file";
        }

        records = BinaryPrimitives.ReadInt32LittleEndian(file[32..]);
        jsonLength = BinaryPrimitives.ReadInt32LittleEndian(file[36..]);
        return records < 1 || jsonLength < 2 ? "empty or negative lengths" : null;
    }
}
