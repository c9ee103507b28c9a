using System.Net;
using Panopticon.Sdk;

namespace Panopticon.Samples.WebApi;

/// <summary>Endpoints that show the SDK's own API: reading the current trace id, and flushing on demand.</summary>
internal static class DemoEndpoints
{
    public static void MapDemoEndpoints(this IEndpointRouteBuilder app)
    {
        // The id to quote in a support ticket, or to search for in Panopticon.
        app.MapGet("/trace-id", () => TypedResults.Ok(new { traceId = PanopticonTrace.CurrentTraceId, spanId = PanopticonTrace.CurrentSpanId }));

        // Sends everything buffered now and waits for the Producer's acknowledgement (the quickstart and tests use it;
        // in production the SDK sends every FlushInterval and on shutdown by itself). Loopback callers only.
        app.MapPost("/admin/flush", async (HttpContext context, IPanopticonClient panopticon) =>
        {
            if (context.Connection.RemoteIpAddress is not { } caller || !IPAddress.IsLoopback(caller))
            {
                return Results.NotFound();
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            var result = await panopticon.FlushAsync(timeout.Token);
            return Results.Ok(new { result.Completed, result.Sent, result.Failed, result.Dropped, pending = panopticon.BufferSize });
        });
    }
}
