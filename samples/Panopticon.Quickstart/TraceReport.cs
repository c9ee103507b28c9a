using System.Globalization;

namespace Panopticon.Quickstart;

/// <summary>Prints one trace as a tree (with a small waterfall), its logs, and the per-endpoint statistics.</summary>
internal static class TraceReport
{
    private const int NameWidth = 44;
    private const int BarWidth = 24;

    public static void PrintTree(TraceDetail trace)
    {
        var start = trace.Spans.Min(s => s.Timestamp);
        var end = trace.Spans.Max(s => s.Timestamp.AddMilliseconds(s.DurationMs));
        var total = Math.Max((end - start).TotalMilliseconds, 0.001);
        var ids = trace.Spans.Select(s => s.SpanId).ToHashSet(StringComparer.Ordinal);
        var children = trace.Spans
            .Where(s => s.ParentSpanId is not null && ids.Contains(s.ParentSpanId))
            .ToLookup(s => s.ParentSpanId!, StringComparer.Ordinal);
        var roots = trace.Spans.Where(s => s.ParentSpanId is null || !ids.Contains(s.ParentSpanId)).OrderBy(s => s.Timestamp);

        foreach (var root in roots)
        {
            Print(root, "", "", children, start, total);
        }
    }

    public static void PrintLogs(TraceDetail trace)
    {
        var start = trace.Spans.Count > 0 ? trace.Spans.Min(s => s.Timestamp) : trace.Logs.Min(l => l.Timestamp);
        var spanNames = trace.Spans.ToDictionary(s => s.SpanId, DisplayName, StringComparer.Ordinal);
        foreach (var log in trace.Logs.OrderBy(l => l.Timestamp))
        {
            var offset = $"+{(log.Timestamp - start).TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture)} ms";
            var level = log.Level switch
            {
                "ERROR" => Out.Red(log.Level.PadRight(5)),
                "WARN" => Out.Yellow(log.Level.PadRight(5)),
                _ => Out.Cyan(log.Level.PadRight(5)),
            };
            var where = log.SpanId is not null && spanNames.TryGetValue(log.SpanId, out var name) ? Out.Dim($"  ({name})") : "";
            Out.Line($"    {offset,10}  {level}  {log.Message}{where}");
        }
    }

    public static void PrintStats(StatsReport stats)
    {
        var rows = stats.Endpoints.Where(e => e.Endpoint is not null).ToList();
        var endpointWidth = Math.Max(24, rows.Select(r => r.Endpoint!.Length).DefaultIfEmpty(0).Max() + 2);
        var serviceWidth = Math.Max(12, rows.Select(r => r.ServiceName.Length).DefaultIfEmpty(0).Max() + 2);
        Out.Line(Out.Dim($"    {"Service".PadRight(serviceWidth)}{"Endpoint".PadRight(endpointWidth)}{"Requests",8}{"Errors",8}{"p50 ms",10}{"p95 ms",10}{"p99 ms",10}"));
        foreach (var row in rows)
        {
            var errors = row.ErrorCount.ToString(CultureInfo.InvariantCulture).PadLeft(8);
            Out.Line($"    {row.ServiceName.PadRight(serviceWidth)}{row.Endpoint!.PadRight(endpointWidth)}{row.RequestCount,8}{(row.ErrorCount > 0 ? Out.Red(errors) : errors)}" +
                     $"{Ms(row.P50Ms),10}{Ms(row.P95Ms),10}{Ms(row.P99Ms),10}");
        }
    }

    /// <summary>How a span is shown: the route for servers, method and path for HTTP calls, the SQL for database commands.</summary>
    public static string DisplayName(Span span)
    {
        if (span.IsDatabase && span.Label("db_statement") is { Length: > 0 } sql)
        {
            return string.Join(' ', sql.Split((char[])['\n', '\r', ' '], StringSplitOptions.RemoveEmptyEntries));
        }

        return span.IsHttpClient && span.HttpPath is not null ? $"{span.HttpMethod} {span.HttpPath}" : span.Name;
    }

    public static string KindOf(Span span) => span.IsDatabase ? "db" : span.IsLlm ? "llm" : span.Kind.ToLowerInvariant();

    /// <summary>An LLM span's model, tokens and cost, as Panopticon.Sdk.AI labels them.</summary>
    public static string LlmDetails(Span span)
    {
        var cached = span.Label("llm_cached_input_tokens") is { } c ? $" ({c} cached)" : "";
        var cost = Usd(span) is { } usd ? $" · {usd}" : "";
        return $"{span.Label("llm_model")} · {span.Label("llm_input_tokens")} in{cached} + {span.Label("llm_output_tokens")} out = {span.Label("llm_total_tokens")} tokens{cost}";
    }

    private static void Print(Span span, string indent, string branch, ILookup<string, Span> children, DateTime start, double total)
    {
        var label = Out.Truncate(branch + DisplayName(span), NameWidth);
        var kind = KindOf(span);
        var code = span.HttpStatusCode?.ToString(CultureInfo.InvariantCulture) ?? "";
        var status = span.Status == "ERROR" ? Out.Red(" ERROR") : "";
        var offset = (span.Timestamp - start).TotalMilliseconds / total;
        var from = Math.Clamp((int)Math.Floor(offset * BarWidth), 0, BarWidth - 1);
        var length = Math.Clamp((int)Math.Round(span.DurationMs / total * BarWidth), 1, BarWidth - from);
        var bar = Out.Dim(new string('·', from)) + (span.Status == "ERROR" ? Out.Red(new string('█', length)) : Out.Cyan(new string('█', length))) +
                  Out.Dim(new string('·', BarWidth - from - length));

        Out.Line($"    {label.PadRight(NameWidth)}  {kind,-7}{code,4}{Ms(span.DurationMs),10} ms  {bar}{status}");

        var kids = children[span.SpanId].OrderBy(s => s.Timestamp).ToList();
        if (span.IsLlm)
        {
            Out.Line(Out.Dim($"    {indent}{(kids.Count > 0 ? "│  " : "   ")}{LlmDetails(span)}"));
        }

        for (var i = 0; i < kids.Count; i++)
        {
            var last = i == kids.Count - 1;
            Print(kids[i], indent + (last ? "   " : "│  "), indent + (last ? "└─ " : "├─ "), children, start, total);
        }
    }

    /// <summary>The call's cost in dollars written out in full (the wire's shortest form may be <c>1.23E-05</c>).</summary>
    public static string? Usd(Span span) =>
        span.Labels is not null && span.Labels.TryGetValue("llm_cost_usd", out var cost) && cost.TryGetDouble(out var usd)
            ? "$" + usd.ToString("0.##########", CultureInfo.InvariantCulture)
            : null;

    private static string Ms(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
}
