using Microsoft.Extensions.Options;
using Panopticon.Producer.Configuration;
using Panopticon.Producer.Hosting;
using Panopticon.Producer.Query;

namespace Panopticon.Producer.Ingest;

/// <summary>The write side: the SDK's routes, the Fluent Bit route and the fault-injection admin switch.</summary>
internal static class IngestEndpoints
{
    public const string RateLimitPolicy = "ingest";

    public static void MapIngest(this IEndpointRouteBuilder app)
    {
        var ingest = app.MapGroup(string.Empty)
            .RequireRateLimiting(RateLimitPolicy)
            .AddEndpointFilter<ApiKeyFilter>()
            .AddEndpointFilter<FaultInjectionFilter>();

        ingest.MapPost("/sdk/logs", (HttpContext context, IngestHandler handler) => handler.HandleAsync(context, IngestRoute.SdkLogs));
        ingest.MapPost("/sdk/traces", (HttpContext context, IngestHandler handler) => handler.HandleAsync(context, IngestRoute.SdkTraces));
        ingest.MapPost("/ingest/logs", (HttpContext context, IngestHandler handler) => handler.HandleAsync(context, IngestRoute.FluentBitLogs));

        app.MapGet("/admin/fault-injection", GetFaultInjection).AddEndpointFilter<ApiKeyFilter>();
        app.MapPost("/admin/fault-injection", SetFaultInjection).AddEndpointFilter<ApiKeyFilter>();
    }

    private static IResult GetFaultInjection(FaultInjector faults, IOptions<ProducerOptions> options) =>
        !options.Value.FaultInjection.AdminEndpoint
            ? TypedResults.NotFound()
            : TypedResults.Json(new FaultInjectionState(faults.FailEveryNth, faults.FailedRequests), ProducerJsonContext.Web.FaultInjectionState);

    /// <summary><c>POST /admin/fault-injection?failEveryNth=N</c> (0 turns it off); exists only when enabled in configuration.</summary>
    private static IResult SetFaultInjection(HttpRequest request, FaultInjector faults, IOptions<ProducerOptions> options)
    {
        if (!options.Value.FaultInjection.AdminEndpoint)
        {
            return TypedResults.NotFound();
        }

        var q = new QueryReader(request.Query);
        var n = q.Int("failEveryNth", fallback: -1, min: 0, max: 1_000_000);
        if (q.Error is not null || n < 0)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid query", detail: q.Error ?? "'failEveryNth' is required");
        }

        faults.FailEveryNth = n;
        return TypedResults.Json(new FaultInjectionState(faults.FailEveryNth, faults.FailedRequests), ProducerJsonContext.Web.FaultInjectionState);
    }
}
