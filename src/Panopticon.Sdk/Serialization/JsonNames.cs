using System.Text.Json;

namespace Panopticon.Sdk.Serialization;

/// <summary>The protocol's fixed property names and values, encoded to UTF-8 JSON once instead of on every record.</summary>
/// <remarks>Names and values the serializers write as raw UTF-8 with their neighbours (ids, level, kind, status) are spelt there.</remarks>
internal static class JsonNames
{
    public static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
    public static readonly JsonEncodedText Timestamp = JsonEncodedText.Encode("timestamp");
    public static readonly JsonEncodedText ServiceName = JsonEncodedText.Encode("service_name");
    public static readonly JsonEncodedText Environment = JsonEncodedText.Encode("environment");
    public static readonly JsonEncodedText Message = JsonEncodedText.Encode("message");
    public static readonly JsonEncodedText TraceId = JsonEncodedText.Encode("trace_id");
    public static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
    public static readonly JsonEncodedText Kind = JsonEncodedText.Encode("kind");
    public static readonly JsonEncodedText HttpMethod = JsonEncodedText.Encode("http_method");
    public static readonly JsonEncodedText HttpPath = JsonEncodedText.Encode("http_path");
    public static readonly JsonEncodedText HttpStatusCode = JsonEncodedText.Encode("http_status_code");
    public static readonly JsonEncodedText Labels = JsonEncodedText.Encode("labels");

    public static readonly JsonEncodedText Log = JsonEncodedText.Encode("log");
    public static readonly JsonEncodedText Span = JsonEncodedText.Encode("span");
}
