using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Panopticon.Quickstart;

/// <summary>Reads what arrived, through the Producer's query API (the same one its web viewer uses).</summary>
internal sealed class ProducerApi(HttpClient http)
{
    public Uri BaseAddress => http.BaseAddress!;

    public Uri ViewerUrl(string traceId) => new(BaseAddress, $"/#/trace/{traceId}");

    public async Task<TraceDetail?> GetTraceAsync(string traceId, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"/api/traces/{traceId}", cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<TraceDetail>(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<TraceSummary>> ListTracesAsync(CancellationToken cancellationToken) =>
        (await http.GetFromJsonAsync<TraceList>("/api/traces?limit=1000", cancellationToken).ConfigureAwait(false))!.Traces;

    public async Task<long> CountLogsAsync(CancellationToken cancellationToken) =>
        (await http.GetFromJsonAsync<LogPage>("/api/logs?limit=1", cancellationToken).ConfigureAwait(false))!.Total;

    public async Task<StatsReport> GetStatsAsync(CancellationToken cancellationToken) =>
        (await http.GetFromJsonAsync<StatsReport>("/api/stats?window=60", cancellationToken).ConfigureAwait(false))!;
}

internal sealed record TraceList(IReadOnlyList<TraceSummary> Traces);

internal sealed record TraceSummary(string TraceId, string RootName, string ServiceName, DateTime Start, double DurationMs, string Status, int SpanCount, int ErrorCount);

internal sealed record TraceDetail(string TraceId, IReadOnlyList<Span> Spans, IReadOnlyList<Log> Logs);

internal sealed record Span(
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Name,
    string Kind,
    string Status,
    string ServiceName,
    DateTime Timestamp,
    double DurationMs,
    string? HttpMethod,
    string? HttpPath,
    int? HttpStatusCode,
    Dictionary<string, JsonElement>? Labels)
{
    public string? Label(string key) =>
        Labels is not null && Labels.TryGetValue(key, out var value) ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.ToString() : null;

    public bool IsDatabase => Label("db_system") is not null;

    public bool IsHttpClient => Kind == "CLIENT" && HttpMethod is not null && !IsDatabase;

    public bool IsLlm => Label("llm_model") is not null;
}

internal sealed record Log(DateTime Timestamp, string Level, string Message, string? TraceId, string? SpanId);

internal sealed record LogPage(long Total);

internal sealed record StatsReport(int WindowMinutes, IReadOnlyList<EndpointStats> Endpoints);

internal sealed record EndpointStats(string ServiceName, string? Endpoint, int RequestCount, int ErrorCount, double ErrorRate, double P50Ms, double P95Ms, double P99Ms);
