using System.Diagnostics;
using System.Text.Json;

namespace Panopticon.Sdk.Serialization;

/// <summary>Writes the value shapes the wire protocol asks for: truncated strings, millisecond UTC timestamps, hex ids.</summary>
internal sealed class JsonFieldWriter(int maxValueLength)
{
    internal const string TruncationMarker = "…[truncated]";

    public int MaxValueLength { get; } = maxValueLength;

    public void WriteString(Utf8JsonWriter writer, JsonEncodedText name, string value) =>
        writer.WriteString(name, Truncate(value));

    /// <summary>ISO-8601 UTC with milliseconds and <c>Z</c> (<c>yyyy-MM-ddTHH:mm:ss.fffZ</c>), written digit by digit: a custom format string is parsed on every call.</summary>
    public void WriteTimestamp(Utf8JsonWriter writer, JsonEncodedText name, DateTimeOffset timestamp)
    {
        var utc = timestamp.UtcDateTime;
        Span<byte> buffer = stackalloc byte[24];
        Digits(buffer[..4], utc.Year);
        buffer[4] = (byte)'-';
        Digits(buffer.Slice(5, 2), utc.Month);
        buffer[7] = (byte)'-';
        Digits(buffer.Slice(8, 2), utc.Day);
        buffer[10] = (byte)'T';
        Digits(buffer.Slice(11, 2), utc.Hour);
        buffer[13] = (byte)':';
        Digits(buffer.Slice(14, 2), utc.Minute);
        buffer[16] = (byte)':';
        Digits(buffer.Slice(17, 2), utc.Second);
        buffer[19] = (byte)'.';
        Digits(buffer.Slice(20, 3), utc.Millisecond);
        buffer[23] = (byte)'Z';
        writer.WriteString(name, buffer);
    }

    public static void WriteTraceId(Utf8JsonWriter writer, JsonEncodedText name, ActivityTraceId traceId) =>
        writer.WriteString(name, traceId.ToHexString()); // ActivityTraceId keeps its lowercase hex string: no allocation.

    public static void WriteSpanId(Utf8JsonWriter writer, JsonEncodedText name, ActivitySpanId spanId) =>
        writer.WriteString(name, spanId.ToHexString());

    private static void Digits(Span<byte> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    /// <summary>Cuts <paramref name="value"/> to the limit without splitting a surrogate pair, and marks the cut.</summary>
    public ReadOnlySpan<char> Truncate(string value)
    {
        if (value.Length <= MaxValueLength)
        {
            return value;
        }

        var keep = MaxValueLength - TruncationMarker.Length;
        if (char.IsHighSurrogate(value[keep - 1]))
        {
            keep--;
        }

        return string.Concat(value.AsSpan(0, keep), TruncationMarker);
    }
}
