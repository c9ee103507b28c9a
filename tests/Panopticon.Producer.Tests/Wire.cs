using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Panopticon.Producer.Tests;

/// <summary>Builds wire-protocol records and requests the way the SDK sends them.</summary>
internal static class Wire
{
    public static string NewTraceId() => Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());

    public static string NewSpanId() => Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..16];

    public static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    public static JsonObject Span(
        string traceId,
        string spanId,
        string? parentSpanId = null,
        string name = "GET /orders/{id}",
        string kind = "SERVER",
        string status = "OK",
        double durationMs = 12.5,
        DateTimeOffset? start = null,
        string service = "order-service") => new()
    {
        ["type"] = "span",
        ["timestamp"] = Time(start ?? DateTimeOffset.UtcNow),
        ["service_name"] = service,
        ["environment"] = "test",
        ["trace_id"] = traceId,
        ["span_id"] = spanId,
        ["parent_span_id"] = parentSpanId,
        ["name"] = name,
        ["kind"] = kind,
        ["duration_ms"] = durationMs,
        ["status"] = status,
    };

    public static JsonObject Log(
        string message = "order created",
        string level = "INFO",
        string? traceId = null,
        string? spanId = null,
        DateTimeOffset? time = null,
        string service = "order-service")
    {
        var log = new JsonObject
        {
            ["type"] = "log",
            ["timestamp"] = Time(time ?? DateTimeOffset.UtcNow),
            ["service_name"] = service,
            ["environment"] = "test",
            ["level"] = level,
            ["message"] = message,
            ["labels"] = new JsonObject { ["context"] = "Orders.Api", ["order_id"] = 42, ["vip"] = true },
        };
        if (traceId is not null)
        {
            log["trace_id"] = traceId;
        }

        if (spanId is not null)
        {
            log["span_id"] = spanId;
        }

        return log;
    }

    public static JsonArray Array(params JsonNode[] records)
    {
        var array = new JsonArray();
        foreach (var record in records)
        {
            array.Add(record.DeepClone());
        }

        return array;
    }

    public static HttpRequestMessage Request(string path, string body, string? key = ProducerFactory.Key, string? batchId = null, bool gzip = false) =>
        Request(path, Encoding.UTF8.GetBytes(body), key, batchId, gzip);

    public static HttpRequestMessage Request(string path, byte[] body, string? key = ProducerFactory.Key, string? batchId = null, bool gzip = false)
    {
        var content = new ByteArrayContent(gzip ? Gzip(body) : body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (gzip)
        {
            content.Headers.ContentEncoding.Add("gzip");
        }

        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (key is not null)
        {
            request.Headers.Add("X-API-Key", key);
        }

        if (batchId is not null)
        {
            request.Headers.Add("X-Panopticon-Batch-Id", batchId);
        }

        return request;
    }

    public static Task<HttpResponseMessage> PostAsync(this HttpClient client, string path, JsonNode body, string? key = ProducerFactory.Key, string? batchId = null, bool gzip = false) =>
        client.SendAsync(Request(path, body.ToJsonString(), key, batchId, gzip));

    public static byte[] Gzip(byte[] data, CompressionLevel level = CompressionLevel.Fastest)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, level))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    public static async Task<JsonNode> JsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
}
