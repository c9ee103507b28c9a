using System.Text.Json;

namespace Panopticon.Sdk.Serialization;

/// <summary>The fields every record starts with: its type, time, service and environment.</summary>
internal sealed class ResourceFields(JsonFieldWriter fields, string serviceName, string environment)
{
    public void Write(Utf8JsonWriter writer, string type, DateTimeOffset timestamp)
    {
        writer.WriteString("type", type);
        fields.WriteTimestamp(writer, "timestamp", timestamp);
        fields.WriteString(writer, "service_name", serviceName);
        fields.WriteString(writer, "environment", environment);
    }
}
