using System.Text.Encodings.Web;
using System.Text.Json;

namespace Panopticon.Sdk.Serialization;

/// <summary>The fields every record starts with: its type, time, service and environment (encoded once, they never change).</summary>
internal sealed class ResourceFields(JsonFieldWriter fields, string serviceName, string environment)
{
    private readonly JsonEncodedText _serviceName = Encode(fields, serviceName);
    private readonly JsonEncodedText _environment = Encode(fields, environment);

    public void Write(Utf8JsonWriter writer, JsonEncodedText type, DateTimeOffset timestamp)
    {
        writer.WriteString(JsonNames.Type, type);
        fields.WriteTimestamp(writer, JsonNames.Timestamp, timestamp);
        writer.WriteString(JsonNames.ServiceName, _serviceName);
        writer.WriteString(JsonNames.Environment, _environment);
    }

    private static JsonEncodedText Encode(JsonFieldWriter fields, string value) =>
        JsonEncodedText.Encode(fields.Truncate(value), JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
}
