using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Panopticon.Producer.Hosting;

/// <summary><c>GET /health</c> body, e.g. <c>{"status":"Healthy","storage":"reachable"}</c>.</summary>
internal sealed record HealthBody(string Status, string Storage);

internal static class HealthEndpoint
{
    public static void MapProducerHealth(this IEndpointRouteBuilder app) =>
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteAsync });

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var storage = report.Entries.TryGetValue("storage", out var entry) && entry.Status == HealthStatus.Healthy ? "reachable" : "unreachable";
        var body = new HealthBody(report.Status.ToString(), storage);
        return JsonSerializer.SerializeAsync(context.Response.Body, body, ProducerJsonContext.Web.HealthBody, context.RequestAborted);
    }
}
