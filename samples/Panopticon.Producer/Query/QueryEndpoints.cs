using Panopticon.Producer.Hosting;
using Panopticon.Producer.Ingest;
using Panopticon.Producer.Storage;

namespace Panopticon.Producer.Query;

internal sealed record TraceList(IReadOnlyList<TraceSummary> Traces);

/// <summary>The read side used by the viewer, the quickstart and tests: <c>/api/traces</c>, <c>/api/logs</c>, <c>/api/stats</c>.</summary>
internal static class QueryEndpoints
{
    public static void MapQueryApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").AddEndpointFilter<LocalOnlyFilter>();
        api.MapGet("/traces/{traceId}", GetTraceAsync);
        api.MapGet("/traces", ListTracesAsync);
        api.MapGet("/logs", QueryLogsAsync);
        api.MapGet("/stats", GetStatsAsync);
    }

    private static async Task<IResult> GetTraceAsync(string traceId, ITelemetryStore store, CancellationToken cancellationToken)
    {
        if (!WireSchema.IsHexId(traceId, 32))
        {
            return BadQuery("the trace id must be 32 lowercase hex digits");
        }

        var trace = await store.GetTraceAsync(traceId, cancellationToken).ConfigureAwait(false);
        return trace is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: $"no spans or logs for trace {traceId}")
            : TypedResults.Json(trace, ProducerJsonContext.Web.TraceDetail);
    }

    private static async Task<IResult> ListTracesAsync(HttpRequest request, ITelemetryStore store, CancellationToken cancellationToken)
    {
        var q = new QueryReader(request.Query);
        var query = new TraceQuery(
            Service: q.String("service"),
            Status: q.OneOf("status", WireSchema.SpanStatuses),
            MinDurationMs: q.Double("minDurationMs", min: 0),
            Limit: q.Int("limit", fallback: 50, min: 1, max: 1000));
        if (q.Error is { } error)
        {
            return BadQuery(error);
        }

        var traces = await store.ListTracesAsync(query, cancellationToken).ConfigureAwait(false);
        return TypedResults.Json(new TraceList(traces), ProducerJsonContext.Web.TraceList);
    }

    private static async Task<IResult> QueryLogsAsync(HttpRequest request, ITelemetryStore store, CancellationToken cancellationToken)
    {
        var q = new QueryReader(request.Query);
        var query = new LogQuery(
            Service: q.String("service"),
            Level: q.OneOf("level", WireSchema.Levels),
            TraceId: q.TraceId("traceId"),
            Text: q.String("q"),
            From: q.Time("from"),
            To: q.Time("to"),
            Limit: q.Int("limit", fallback: 100, min: 1, max: 1000),
            Offset: q.Int("offset", fallback: 0, min: 0, max: int.MaxValue));
        q.Check(query.From is null || query.To is null || query.From <= query.To, "'from' must not be after 'to'");
        if (q.Error is { } error)
        {
            return BadQuery(error);
        }

        var page = await store.QueryLogsAsync(query, cancellationToken).ConfigureAwait(false);
        return TypedResults.Json(page, ProducerJsonContext.Web.LogPage);
    }

    private static async Task<IResult> GetStatsAsync(HttpRequest request, ITelemetryStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var q = new QueryReader(request.Query);
        var window = q.Int("window", fallback: 60, min: 1, max: 60 * 24 * 31);
        if (q.Error is { } error)
        {
            return BadQuery(error);
        }

        var to = time.GetUtcNow();
        var from = to.AddMinutes(-window);
        var samples = await store.GetServerSpansAsync(from, to, cancellationToken).ConfigureAwait(false);
        return TypedResults.Json(StatsCalculator.Compute(samples, window, from, to), ProducerJsonContext.Web.StatsReport);
    }

    private static IResult BadQuery(string reason) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid query", detail: reason);
}
