using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Panopticon.Sdk.Integration.Tests.EndToEnd;
using Panopticon.Sdk.Integration.Tests.Support;
using Panopticon.Sdk.Tests.Support;

namespace Panopticon.Sdk.Integration.Tests.AspNetCore;

/// <summary>
/// Panopticon's options decide only what Panopticon sends: an application exporting with OpenTelemetry on its own
/// keeps every span its instrumentations record, whatever Panopticon ignores or has switched off.
/// </summary>
public sealed class OwnPipelineTests
{
    [Fact]
    public async Task Ignored_paths_still_reach_the_applications_own_exporter()
    {
        var exported = new List<Activity>();
        await using var app = await StartWithOwnExporterAsync(exported);

        var (traceId, own) = await GetAsync(app, exported, "/health");

        Assert.Equal("/health", Assert.Single(own).GetTagItem("url.path"));
        Assert.Empty(app.SpansOf(traceId));
    }

    [Fact]
    public async Task Spans_inside_an_ignored_request_stay_out_of_Panopticon_only()
    {
        var exported = new List<Activity>();
        await using var app = await StartWithOwnExporterAsync(exported);

        var (traceId, own) = await GetAsync(app, exported, "/health/db");

        var server = Assert.Single(own, a => a.Kind == ActivityKind.Server);
        Assert.Contains(own, a => a.ParentSpanId == server.SpanId && a.GetTagItem("db.system") is not null);
        Assert.Empty(app.SpansOf(traceId));
    }

    [Fact]
    public async Task Switched_off_kinds_still_reach_the_applications_own_exporter()
    {
        var exported = new List<Activity>();
        await using var app = await StartWithOwnExporterAsync(exported, new Dictionary<string, string?>
        {
            ["Panopticon:EnableHttpTracking"] = "false",
            ["Panopticon:EnableHttpClientTracking"] = "false",
            ["Panopticon:EnableDbTracking"] = "false",
        });

        var response = await app.PostOrderAsync();
        await app.FlushRequestAsync(response.TraceId, serverSpan: false);

        // The application's exporter: its server span, its own span and the HttpClient span inside it (the
        // downstream stub runs in this process, so its request is in the same trace too).
        await Wait.UntilAsync(() => Own(exported, response.TraceId).Any(IsOrderRequest), what: "the application's exporter got the server span");
        var own = Own(exported, response.TraceId);
        Assert.Single(own, IsOrderRequest);
        var custom = Assert.Single(own, a => a.DisplayName == "reserve-stock");
        Assert.Single(own, a => a.Kind == ActivityKind.Client && a.ParentSpanId == custom.SpanId);

        // Panopticon: only the span neither flag covers.
        var sent = Assert.Single(app.SpansOf(response.TraceId));
        Assert.Equal("reserve-stock", sent.Str("name"));
        Assert.Equal(custom.SpanId.ToHexString(), sent.Str("span_id"));
    }

    private static Task<OrdersApp> StartWithOwnExporterAsync(List<Activity> exported, IDictionary<string, string?>? settings = null) =>
        OrdersApp.StartAsync(settings, services => services.AddOpenTelemetry().WithTracing(tracing => tracing
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            .AddSource(OrdersApp.CustomSourceName)
            .AddInMemoryExporter(exported)));

    /// <summary>Sends <c>GET {path}</c> and waits until both Panopticon and the application's exporter have its spans.</summary>
    private static async Task<(string TraceId, List<Activity> Own)> GetAsync(OrdersApp app, List<Activity> exported, string path)
    {
        using var response = await app.Client.GetAsync(path);
        var traceId = response.Headers.GetValues("X-Trace-Id").Single();
        await app.FlushRequestAsync(traceId, serverSpan: false);
        await Wait.UntilAsync(() => Own(exported, traceId).Any(a => a.Kind == ActivityKind.Server), what: $"the application's exporter got the {path} span");
        return (traceId, Own(exported, traceId));
    }

    private static bool IsOrderRequest(Activity activity) =>
        activity.Kind == ActivityKind.Server && (string?)activity.GetTagItem("url.path") == "/orders";

    private static List<Activity> Own(List<Activity> exported, string traceId)
    {
        lock (exported)
        {
            return [.. exported.Where(a => a.TraceId.ToHexString() == traceId)];
        }
    }
}
