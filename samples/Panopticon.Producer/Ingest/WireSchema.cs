namespace Panopticon.Producer.Ingest;

/// <summary>
/// The top-level fields and values the public Producer's stream processor keeps (see DESIGN.md, "Wire protocol").
/// </summary>
internal static class WireSchema
{
    public static readonly HashSet<string> Levels = new(StringComparer.Ordinal) { "DEBUG", "INFO", "WARN", "ERROR" };

    public static readonly HashSet<string> SpanKinds = new(StringComparer.Ordinal) { "SERVER", "CLIENT", "INTERNAL" };

    public static readonly HashSet<string> SpanStatuses = new(StringComparer.Ordinal) { "OK", "ERROR" };

    public static readonly HashSet<string> LogFields = new(StringComparer.Ordinal)
    {
        "type", "timestamp", "service_name", "environment", "level", "message",
        "trace_id", "span_id", "http_method", "http_path", "http_status_code", "labels",
    };

    public static readonly HashSet<string> SpanFields = new(StringComparer.Ordinal)
    {
        "type", "timestamp", "service_name", "environment", "trace_id", "span_id", "parent_span_id",
        "name", "kind", "duration_ms", "status", "http_method", "http_path", "http_status_code", "labels",
    };

    /// <summary>32 (trace) or 16 (span) lowercase hex digits, not all zero (W3C trace context).</summary>
    public static bool IsHexId(string value, int length)
    {
        if (value.Length != length)
        {
            return false;
        }

        var nonZero = false;
        foreach (var c in value)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }

            nonZero |= c != '0';
        }

        return nonZero;
    }
}
