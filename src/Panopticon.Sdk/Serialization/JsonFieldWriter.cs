using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Panopticon.Sdk.Serialization;

/// <summary>Writes the value shapes the wire protocol asks for: truncated strings, millisecond UTC timestamps, hex ids.</summary>
internal sealed class JsonFieldWriter(int maxValueLength)
{
    internal const string TruncationMarker = "…[truncated]";

    public int MaxValueLength { get; } = maxValueLength;

    public void WriteString(Utf8JsonWriter writer, JsonEncodedText name, string value) =>
        writer.WriteString(name, Truncate(value));

    public void WriteString(Utf8JsonWriter writer, JsonEncodedText name, ReadOnlySpan<char> value) =>
        writer.WriteString(name, Truncate(value));

    /// <summary>The length of <see cref="FormatTimestamp"/>'s output.</summary>
    public const int TimestampLength = 24;

    /// <summary>
    /// Writes ISO-8601 UTC with milliseconds and <c>Z</c> (<c>yyyy-MM-ddTHH:mm:ss.fffZ</c>) into
    /// <paramref name="destination"/>, digit by digit: a custom format string is parsed on every call.
    /// </summary>
    public static void FormatTimestamp(Span<byte> destination, DateTimeOffset timestamp)
    {
        var utc = timestamp.UtcDateTime;
        var buffer = destination[..TimestampLength];
        utc.Deconstruct(out int year, out int month, out int day); // the date is worked out once, not three times
        TwoDigits(buffer, year / 100);
        TwoDigits(buffer[2..], year % 100);
        buffer[4] = (byte)'-';
        TwoDigits(buffer[5..], month);
        buffer[7] = (byte)'-';
        TwoDigits(buffer[8..], day);
        buffer[10] = (byte)'T';
        TwoDigits(buffer[11..], utc.Hour);
        buffer[13] = (byte)':';
        TwoDigits(buffer[14..], utc.Minute);
        buffer[16] = (byte)':';
        TwoDigits(buffer[17..], utc.Second);
        buffer[19] = (byte)'.';
        var millisecond = utc.Millisecond;
        buffer[20] = (byte)('0' + (millisecond / 100));
        TwoDigits(buffer[21..], millisecond % 100);
        buffer[23] = (byte)'Z';
    }

    /// <summary>The most bytes <see cref="FormatIds"/> writes: 64 hex digits and 46 bytes of names and quotes.</summary>
    public const int MaxIdsLength = 128;

    /// <summary>
    /// Writes <c>"trace_id":"…","span_id":"…"</c> and, with <paramref name="withParent"/>, <c>,"parent_span_id":"…"</c>
    /// (<c>null</c> when <paramref name="parentSpanId"/> is empty) as one raw value: ids are lowercase hex, which never needs
    /// escaping, and one write costs the writer much less than two or three.
    /// </summary>
    public static void WriteIds(Utf8JsonWriter writer, ReadOnlySpan<char> traceId, ReadOnlySpan<char> spanId, bool withParent = false, ReadOnlySpan<char> parentSpanId = default)
    {
        Span<byte> value = stackalloc byte[MaxIdsLength];
        var length = FormatIds(value, traceId, spanId, withParent, parentSpanId);
        writer.WritePropertyName(JsonNames.TraceId);
        writer.WriteRawValue(value[(TraceIdName.Length - 1)..length], skipInputValidation: true); // from the value's opening quote
    }

    /// <summary>
    /// Formats the properties <see cref="WriteIds"/> writes, each with its leading ',', into <paramref name="destination"/>
    /// (<see cref="MaxIdsLength"/> bytes at least); returns the length.
    /// </summary>
    public static int FormatIds(Span<byte> destination, ReadOnlySpan<char> traceId, ReadOnlySpan<char> spanId, bool withParent = false, ReadOnlySpan<char> parentSpanId = default)
    {
        var length = 0;
        Append(destination, ref length, TraceIdName);
        AppendHex(destination, ref length, traceId);
        Append(destination, ref length, "\",\"span_id\":\""u8);
        AppendHex(destination, ref length, spanId);
        if (!withParent)
        {
            Append(destination, ref length, "\""u8);
        }
        else if (parentSpanId.IsEmpty)
        {
            Append(destination, ref length, "\",\"parent_span_id\":null"u8);
        }
        else
        {
            Append(destination, ref length, "\",\"parent_span_id\":\""u8);
            AppendHex(destination, ref length, parentSpanId);
            Append(destination, ref length, "\""u8);
        }

        return length;
    }

    // What FormatIds starts with; WriteIds leaves the part up to the value's opening quote to the writer.
    private static ReadOnlySpan<byte> TraceIdName => ",\"trace_id\":\""u8;

    /// <summary>Copies <paramref name="bytes"/> to <paramref name="destination"/> at <paramref name="length"/>, which it advances.</summary>
    internal static void Append(Span<byte> destination, ref int length, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(destination[length..]);
        length += bytes.Length;
    }

    private static void AppendHex(Span<byte> destination, ref int length, ReadOnlySpan<char> hex)
    {
        var status = Ascii.FromUtf16(hex, destination[length..], out var written);
        Debug.Assert(status == OperationStatus.Done && hex.Length <= 32, "ids are at most 32 hex digits");
        length += written;
    }

    // Two digits at a time, unrolled: a timestamp is formatted for every record.
    private static void TwoDigits(Span<byte> destination, int value)
    {
        destination[1] = (byte)('0' + (value % 10));
        destination[0] = (byte)('0' + (value / 10));
    }

    /// <summary>Cuts <paramref name="value"/> to the limit without splitting a surrogate pair, and marks the cut.</summary>
    public ReadOnlySpan<char> Truncate(string value) => Truncate(value.AsSpan());

    /// <inheritdoc cref="Truncate(string)"/>
    public ReadOnlySpan<char> Truncate(ReadOnlySpan<char> value)
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

        return string.Concat(value[..keep], TruncationMarker);
    }
}
