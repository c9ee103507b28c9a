using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Panopticon.Sdk.Serialization;

/// <summary>The fields every record starts with: its type, time, service and environment.</summary>
/// <remarks>
/// Everything but the timestamp is the same on every record, so it is encoded once and written as two raw values (the
/// writer's per-property work is much of a record's cost): <c>"type":</c> with <c>"span","timestamp":"…"</c>, then
/// <c>"service_name":</c> with <c>"…","environment":"…"</c>.
/// </remarks>
internal sealed class ResourceFields
{
    private static readonly byte[] TimestampName = Encoding.UTF8.GetBytes($"\",\"{JsonNames.Timestamp}\":\""); // ","timestamp":"
    private readonly byte[] _serviceAndEnvironment;

    public ResourceFields(JsonFieldWriter fields, string serviceName, string environment)
    {
        _serviceAndEnvironment = Encoding.UTF8.GetBytes(
            $"\"{Encode(fields, serviceName)}\",\"{JsonNames.Environment}\":\"{Encode(fields, environment)}\"");
    }

    /// <param name="writer">The writer, inside the record's object.</param>
    /// <param name="type">The record type, one of <see cref="JsonNames"/> (a few ASCII letters).</param>
    /// <param name="timestamp">The record's time.</param>
    public void Write(Utf8JsonWriter writer, JsonEncodedText type, DateTimeOffset timestamp)
    {
        var typeName = type.EncodedUtf8Bytes;
        Span<byte> value = stackalloc byte[typeName.Length + TimestampName.Length + JsonFieldWriter.TimestampLength + 2];
        var length = 0;
        JsonFieldWriter.Append(value, ref length, "\""u8);
        JsonFieldWriter.Append(value, ref length, typeName);
        JsonFieldWriter.Append(value, ref length, TimestampName);
        JsonFieldWriter.FormatTimestamp(value.Slice(length, JsonFieldWriter.TimestampLength), timestamp);
        value[^1] = (byte)'"';
        writer.WritePropertyName(JsonNames.Type);
        writer.WriteRawValue(value, skipInputValidation: true);
        writer.WritePropertyName(JsonNames.ServiceName);
        writer.WriteRawValue(_serviceAndEnvironment, skipInputValidation: true);
    }

    private static string Encode(JsonFieldWriter fields, string value) =>
        JsonEncodedText.Encode(fields.Truncate(value), JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();
}
