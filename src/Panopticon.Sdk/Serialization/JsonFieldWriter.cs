using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Panopticon.Sdk.Serialization;

/// <summary>Writes the value shapes the wire protocol asks for: truncated strings, millisecond UTC timestamps, hex ids.</summary>
internal sealed class JsonFieldWriter(int maxValueLength)
{
    internal const string TruncationMarker = "…[truncated]";

    public int MaxValueLength { get; } = maxValueLength;

    public void WriteString(Utf8JsonWriter writer, string name, string value) =>
        writer.WriteString(name, Truncate(value));

    public void WriteTimestamp(Utf8JsonWriter writer, string name, DateTimeOffset timestamp)
    {
        Span<byte> buffer = stackalloc byte[32];
        timestamp.UtcDateTime.TryFormat(buffer, out var written, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        writer.WriteString(name, buffer[..written]);
    }

    public static void WriteTraceId(Utf8JsonWriter writer, string name, ActivityTraceId traceId) =>
        writer.WriteString(name, traceId.ToHexString()); // ActivityTraceId keeps its lowercase hex string: no allocation.

    public static void WriteSpanId(Utf8JsonWriter writer, string name, ActivitySpanId spanId) =>
        writer.WriteString(name, spanId.ToHexString());

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
