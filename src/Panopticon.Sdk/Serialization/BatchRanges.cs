using System.Buffers.Binary;
using Panopticon.Sdk.Storage;

namespace Panopticon.Sdk.Serialization;

/// <summary>
/// Cuts a <see cref="SerializedBatch"/> into requests without parsing it: runs of records under a body size, each
/// with its own JSON array and an id derived from the batch's, so a batch sent again (after a retry or a restart)
/// is cut into requests with the same ids and the Producer can drop the parts it already has.
/// </summary>
internal static class BatchRanges
{
    /// <summary>
    /// The longest run of records from <paramref name="start"/> (before <paramref name="end"/>) whose JSON array stays
    /// within <paramref name="maxBytes"/>; at least one record.
    /// </summary>
    public static RecordRange NextRange(SerializedBatch batch, int start, int end, int maxBytes)
    {
        var ends = batch.RecordEnds;
        var first = Begin(batch, start);
        var i = start + 1;
        while (i < end && ends[i] - first + 2 <= maxBytes)
        {
            i++;
        }

        return new RecordRange(start, i - start);
    }

    /// <summary>The JSON array of <paramref name="range"/>: the batch's own bytes when it is the whole batch, else a copy.</summary>
    public static ReadOnlyMemory<byte> Json(SerializedBatch batch, RecordRange range)
    {
        if (IsWhole(batch, range))
        {
            return batch.Json;
        }

        var begin = Begin(batch, range.Start);
        var records = batch.Json.Span[begin..batch.RecordEnds[range.Start + range.Count - 1]];
        var json = new byte[records.Length + 2];
        json[0] = (byte)'[';
        records.CopyTo(json.AsSpan(1));
        json[^1] = (byte)']';
        return json;
    }

    /// <summary>The request id of <paramref name="range"/>: the batch's id for the whole batch, else derived from it and the range.</summary>
    public static Guid Id(SerializedBatch batch, RecordRange range)
    {
        if (IsWhole(batch, range))
        {
            return batch.Id;
        }

        Span<byte> bytes = stackalloc byte[16];
        batch.Id.TryWriteBytes(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes[8..], BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]) ^ (range.Start + 1));
        BinaryPrimitives.WriteInt32LittleEndian(bytes[12..], BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]) ^ range.Count);
        return new Guid(bytes);
    }

    private static bool IsWhole(SerializedBatch batch, RecordRange range) => range.Start == 0 && range.Count == batch.RecordCount;

    // The first byte of record `index` (just after the '[' or ',' before it).
    private static int Begin(SerializedBatch batch, int index) => index == 0 ? 1 : batch.RecordEnds[index - 1] + 1;
}
