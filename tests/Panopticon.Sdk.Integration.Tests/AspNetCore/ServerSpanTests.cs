using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Panopticon.Sdk.Integration.Tests.EndToEnd;
using Panopticon.Sdk.Integration.Tests.Support;

namespace Panopticon.Sdk.Integration.Tests.AspNetCore;

public sealed class ServerSpanTests
{
    [Fact]
    public async Task Route_templates_name_the_span_and_the_path_has_no_query()
    {
        await using var app = await OrdersApp.StartAsync();

        using var response = await app.Client.GetAsync("/orders/42?token=hunter2");
        var traceId = response.Headers.GetValues("X-Trace-Id").Single();
        await app.FlushRequestAsync(traceId);

        var server = Assert.Single(app.SpansOf(traceId));
        Assert.Equal("GET /orders/{id:int}", server.Str("name"));
        Assert.Equal("/orders/42", server.Str("http_path"));
        Assert.Equal("/orders/{id:int}", server.Label("http_route"));
        Assert.DoesNotContain("hunter2", server.GetRawText());
    }

    [Fact]
    public async Task Ignored_paths_get_no_server_span_but_keep_their_logs()
    {
        await using var app = await OrdersApp.StartAsync();

        using var response = await app.Client.GetAsync("/health");
        var traceId = response.Headers.GetValues("X-Trace-Id").Single();
        await app.FlushRequestAsync(traceId, serverSpan: false);

        Assert.Empty(app.SpansOf(traceId));
        Assert.DoesNotContain(app.Producer.Spans, s => s.Str("http_path") == "/health");
        Assert.NotEmpty(app.LogsOf(traceId));
    }

    [Fact]
    public async Task An_application_with_its_own_OpenTelemetry_setup_gets_no_duplicates_and_loses_nothing()
    {
        var exported = new List<Activity>();
        await using var app = await OrdersApp.StartAsync(beforePanopticon: services => services.AddOpenTelemetry().WithTracing(tracing => tracing
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            .AddSource(OrdersApp.CustomSourceName)
            .AddInMemoryExporter(exported)));

        var response = await app.PostOrderAsync();
        await app.FlushRequestAsync(response.TraceId);

        var spans = app.SpansOf(response.TraceId);
        var server = Assert.Single(spans, s => s.Str("kind") == "SERVER");
        var custom = Assert.Single(spans, s => s.Str("name") == "reserve-stock"); // the application's own instrumentation reaches Panopticon
        var client = Assert.Single(spans, s => s.HasLabel("http_url"));
        Assert.Equal(server.Str("span_id"), custom.Str("parent_span_id"));
        Assert.Equal(custom.Str("span_id"), client.Str("parent_span_id"));
        Assert.Equal(2, spans.Count(s => s.HasLabel("db_system")));
        Assert.Equal(spans.Select(s => s.Str("span_id")).Distinct().Count(), spans.Count);

        // The application's own exporter sees the same spans, and also the downstream stub's request (a server in
        // this process), which Panopticon leaves out as an ignored path.
        lock (exported)
        {
            var own = exported.Where(a => a.TraceId.ToHexString() == response.TraceId).ToList();
            var ignored = Assert.Single(own, a => (string?)a.GetTagItem("url.path") == "/inventory" && a.Kind == ActivityKind.Server);
            var expected = spans.Select(s => s.Str("span_id")!).Append(ignored.SpanId.ToHexString()).ToHashSet();
            Assert.Equal(expected, own.Select(a => a.SpanId.ToHexString()).ToHashSet());
        }
    }
}
