using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Panopticon.Sdk.Serialization;

/// <summary>The fields every record starts with: its type, time, service and environment.</summary>
/// <remarks>
/// Everything but the timestamp is the same on every record, so it is encoded once and written as one raw value (the
/// writer's per-property work is much of a record's cost): <c>"type":</c> with
/// <c>"span","timestamp":"…","service_name":"…","environment":"…"</c>, followed by whatever ASCII-safe fields the
/// serializer has ready to go with it (ids, level).
/// </remarks>
internal sealed class ResourceFields
{
    private const int StackLimit = 512;
    private static readonly byte[] TimestampName = Encoding.UTF8.GetBytes($"\",\"{JsonNames.Timestamp}\":\""); // ","timestamp":"
    private readonly byte[] _serviceAndEnvironment; // ","service_name":"…","environment":"…"

    public ResourceFields(JsonFieldWriter fields, string serviceName, string environment)
    {
        _serviceAndEnvironment = Encoding.UTF8.GetBytes(
            $"\",\"{JsonNames.ServiceName}\":\"{Encode(fields, serviceName)}\",\"{JsonNames.Environment}\":\"{Encode(fields, environment)}\"");
    }

    /// <param name="writer">The writer, inside the record's object.</param>
    /// <param name="type">The record type, one of <see cref="JsonNames"/> (a few ASCII letters).</param>
    /// <param name="timestamp">The record's time.</param>
    /// <param name="next">Complete JSON properties that follow, each starting with its ',' (nothing to escape in them).</param>
    public void Write(Utf8JsonWriter writer, JsonEncodedText type, DateTimeOffset timestamp, ReadOnlySpan<byte> next = default)
    {
        var typeName = type.EncodedUtf8Bytes;
        var needed = typeName.Length + TimestampName.Length + JsonFieldWriter.TimestampLength + 1 + _serviceAndEnvironment.Length + next.Length;
        byte[]? rented = null;
        var value = needed <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(needed));
        var length = 0;
        JsonFieldWriter.Append(value, ref length, "\""u8);
        JsonFieldWriter.Append(value, ref length, typeName);
        JsonFieldWriter.Append(value, ref length, TimestampName);
        JsonFieldWriter.FormatTimestamp(value.Slice(length, JsonFieldWriter.TimestampLength), timestamp);
        length += JsonFieldWriter.TimestampLength;
        JsonFieldWriter.Append(value, ref length, _serviceAndEnvironment);
        JsonFieldWriter.Append(value, ref length, next);
        writer.WritePropertyName(JsonNames.Type);
        writer.WriteRawValue(value[..length], skipInputValidation: true);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static string Encode(JsonFieldWriter fields, string value) =>
        JsonEncodedText.Encode(fields.Truncate(value), JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();
}
