using System.Text.Json;

namespace Panopticon.Producer.Ingest;

/// <summary>
/// Applies the public Producer's stream-processor rules to one record. Unlike the real processor, which drops
/// unknown fields and invalid events silently, it reports a reason so the sender can see what went wrong.
/// </summary>
internal static class RecordValidator
{
    /// <summary>
    /// Logs written outside a trace carry no <c>trace_id</c>/<c>span_id</c>; when present they must be well formed,
    /// and a span id needs its trace id.
    /// </summary>
    public static LogRecord? ValidateLog(JsonElement element, out string? reason)
    {
        var f = RecordFields.Open(element, WireSchema.LogFields, out reason);
        if (f is null)
        {
            return null;
        }

        var ok = f.Constant("type", "log")
            & f.Timestamp("timestamp", out var timestamp)
            & f.RequiredString("service_name", out var service)
            & f.RequiredString("environment", out var environment)
            & f.OneOf("level", WireSchema.Levels, out var level)
            & f.RequiredString("message", out var message)
            & f.OptionalId("trace_id", 32, out var traceId)
            & f.OptionalId("span_id", 16, out var spanId)
            & f.OptionalString("http_method", out var method)
            & f.OptionalString("http_path", out var path)
            & f.OptionalStatusCode("http_status_code", out var statusCode)
            & f.Labels(out var labels);

        if (ok && spanId is not null && traceId is null)
        {
            ok = f.Fail("'span_id' needs a 'trace_id'");
        }

        reason = f.Error;
        return ok
            ? new LogRecord(timestamp, service, environment, level, message, traceId, spanId, method, path, statusCode, labels)
            : null;
    }

    public static SpanRecord? ValidateSpan(JsonElement element, out string? reason)
    {
        var f = RecordFields.Open(element, WireSchema.SpanFields, out reason);
        if (f is null)
        {
            return null;
        }

        var ok = f.Constant("type", "span")
            & f.Timestamp("timestamp", out var timestamp)
            & f.RequiredString("service_name", out var service)
            & f.RequiredString("environment", out var environment)
            & f.RequiredId("trace_id", 32, out var traceId)
            & f.RequiredId("span_id", 16, out var spanId)
            & f.OptionalId("parent_span_id", 16, out var parentSpanId)
            & f.RequiredString("name", out var name)
            & f.OneOf("kind", WireSchema.SpanKinds, out var kind)
            & f.NonNegativeNumber("duration_ms", out var durationMs)
            & f.OneOf("status", WireSchema.SpanStatuses, out var status)
            & f.OptionalString("http_method", out var method)
            & f.OptionalString("http_path", out var path)
            & f.OptionalStatusCode("http_status_code", out var statusCode)
            & f.Labels(out var labels);

        reason = f.Error;
        return ok
            ? new SpanRecord(timestamp, service, environment, traceId, spanId, parentSpanId, name, kind, durationMs, status, method, path, statusCode, labels)
            : null;
    }
}
