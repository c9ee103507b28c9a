using System.Text.Json;

namespace Panopticon.Sdk.Serialization;

/// <summary>The protocol's fixed property names and values, encoded to UTF-8 JSON once instead of on every record.</summary>
internal static class JsonNames
{
    public static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
    public static readonly JsonEncodedText Timestamp = JsonEncodedText.Encode("timestamp");
    public static readonly JsonEncodedText ServiceName = JsonEncodedText.Encode("service_name");
    public static readonly JsonEncodedText Environment = JsonEncodedText.Encode("environment");
    public static readonly JsonEncodedText Level = JsonEncodedText.Encode("level");
    public static readonly JsonEncodedText Message = JsonEncodedText.Encode("message");
    public static readonly JsonEncodedText TraceId = JsonEncodedText.Encode("trace_id");
    public static readonly JsonEncodedText SpanId = JsonEncodedText.Encode("span_id");
    public static readonly JsonEncodedText ParentSpanId = JsonEncodedText.Encode("parent_span_id");
    public static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
    public static readonly JsonEncodedText Kind = JsonEncodedText.Encode("kind");
    public static readonly JsonEncodedText DurationMs = JsonEncodedText.Encode("duration_ms");
    public static readonly JsonEncodedText Status = JsonEncodedText.Encode("status");
    public static readonly JsonEncodedText HttpMethod = JsonEncodedText.Encode("http_method");
    public static readonly JsonEncodedText HttpPath = JsonEncodedText.Encode("http_path");
    public static readonly JsonEncodedText HttpStatusCode = JsonEncodedText.Encode("http_status_code");
    public static readonly JsonEncodedText Labels = JsonEncodedText.Encode("labels");

    public static readonly JsonEncodedText Log = JsonEncodedText.Encode("log");
    public static readonly JsonEncodedText Span = JsonEncodedText.Encode("span");
    public static readonly JsonEncodedText Debug = JsonEncodedText.Encode("DEBUG");
    public static readonly JsonEncodedText Info = JsonEncodedText.Encode("INFO");
    public static readonly JsonEncodedText Warn = JsonEncodedText.Encode("WARN");
    public static readonly JsonEncodedText Error = JsonEncodedText.Encode("ERROR");
    public static readonly JsonEncodedText Ok = JsonEncodedText.Encode("OK");
    public static readonly JsonEncodedText Server = JsonEncodedText.Encode("SERVER");
    public static readonly JsonEncodedText Client = JsonEncodedText.Encode("CLIENT");
    public static readonly JsonEncodedText Internal = JsonEncodedText.Encode("INTERNAL");
}
