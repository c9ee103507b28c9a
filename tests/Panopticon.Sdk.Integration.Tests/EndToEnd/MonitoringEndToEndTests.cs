using System.Diagnostics;
using System.Net;
using Panopticon.Sdk.Integration.Tests.Support;

namespace Panopticon.Sdk.Integration.Tests.EndToEnd;

/// <summary>The issue's scenarios 1–7: one <c>POST /orders</c> through a real server, checked on what the Producer stub received.</summary>
public sealed class MonitoringEndToEndTests
{
    [Fact]
    public async Task One_request_gives_server_client_and_db_spans_and_logs_under_one_trace()
    {
        await using var app = await OrdersApp.StartAsync();

        var response = await app.PostOrderAsync("abc-123");
        await app.FlushRequestAsync(response.TraceId);

        // 1. exactly one SERVER and one CLIENT span, and the request's DB spans, all in one trace
        var spans = app.SpansOf(response.TraceId);
        var server = Assert.Single(spans, s => s.Str("kind") == "SERVER");
        var client = Assert.Single(spans, s => s.Str("kind") == "CLIENT" && s.HasLabel("http_url"));
        var db = spans.Where(s => s.HasLabel("db_system")).ToList();
        Assert.Equal(2, db.Count); // INSERT (SaveChanges) and SELECT COUNT
        Assert.Equal(spans.Count, 1 + 1 + db.Count);
        Assert.Equal(server.Str("span_id"), client.Str("parent_span_id"));
        Assert.All(db, d => Assert.Equal(server.Str("span_id"), d.Str("parent_span_id")));
        Assert.Equal(JsonValueKindNull, server.GetProperty("parent_span_id").ValueKind);

        Assert.Equal("POST /orders", server.Str("name"));
        Assert.Equal("POST", server.Str("http_method"));
        Assert.Equal("/orders", server.Str("http_path"));
        Assert.Equal(200, server.Int("http_status_code"));
        Assert.Equal("/orders", server.Label("http_route"));
        Assert.Equal("OK", server.Str("status"));
        Assert.Equal("orders", server.Str("service_name"));
        Assert.Equal("test", server.Str("environment"));

        Assert.Equal("GET", client.Str("http_method"));
        Assert.Equal(200, client.Int("http_status_code"));
        // .NET 9+ already hides the whole query ("?*"); either way no query value is sent.
        Assert.StartsWith($"{app.Downstream.Url}/inventory?", client.Label("http_url"));
        Assert.EndsWith("=REDACTED", client.Label("http_url"));
        Assert.DoesNotContain(app.Producer.Spans, s => s.GetRawText().Contains("secret-token"));

        Assert.All(db, d =>
        {
            Assert.Equal("CLIENT", d.Str("kind"));
            Assert.Equal("sqlite", d.Label("db_system"));
            Assert.Equal("main", d.Label("db_name"));
            Assert.DoesNotContain("abc-123", d.GetRawText()); // parameter values never captured
        });
        Assert.Contains(db, d => d.Label("db_statement")!.StartsWith("INSERT", StringComparison.Ordinal) && d.Label("db_operation") == "INSERT");
        Assert.Contains(db, d => d.Label("db_statement")!.StartsWith("SELECT", StringComparison.Ordinal) && d.Str("name") == "SELECT main");

        // 2. the downstream call carried the trace, with the client span as parent
        var downstreamCall = Assert.Single(app.Downstream.Requests);
        Assert.Equal($"00-{response.TraceId}-{client.Str("span_id")}-01", downstreamCall["traceparent"]);

        // 3. logs from the handler, EF Core and a service carry the trace and the span active when written
        var logs = app.LogsOf(response.TraceId);
        var handlerLog = Assert.Single(logs, l => l.Str("message") == "Creating order for abc-123");
        Assert.Equal(server.Str("span_id"), handlerLog.Str("span_id"));
        Assert.Equal("POST", handlerLog.Str("http_method"));
        Assert.Equal("/orders", handlerLog.Str("http_path"));
        Assert.Equal("abc-123", handlerLog.Label("Sku"));
        Assert.Equal("web", handlerLog.Label("Channel")); // the handler's own scope
        // ASP.NET Core's request scope and Kestrel's connection scope only repeat what the record carries.
        Assert.False(handlerLog.HasLabel("RequestId") || handlerLog.HasLabel("RequestPath") || handlerLog.HasLabel("ConnectionId"));
        var serviceLog = Assert.Single(logs, l => l.Label("context") == OrderService.Category);
        Assert.Equal($"Order {response.OrderId} saved", serviceLog.Str("message"));
        Assert.Equal(server.Str("span_id"), serviceLog.Str("span_id"));
        var efLogs = logs.Where(l => l.Label("context") == "Microsoft.EntityFrameworkCore.Database.Command").ToList();
        Assert.Equal(2, efLogs.Count);
        Assert.All(efLogs, l => Assert.Equal(server.Str("span_id"), l.Str("span_id")));
        var httpClientLogs = logs.Where(l => l.Label("context")!.StartsWith("System.Net.Http.HttpClient.inventory", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(httpClientLogs);
        var errorLog = Assert.Single(logs, l => l.Str("level") == "ERROR");
        Assert.Equal("Inventory warning for abc-123", errorLog.Str("message"));
        Assert.Equal("System.InvalidOperationException", errorLog.Label("exception_type"));
        Assert.Contains("OrdersApp", errorLog.Label("exception_stacktrace"));

        // 4. the handler's PanopticonTrace.CurrentTraceId is the spans' trace id
        Assert.Equal(server.Str("trace_id"), response.TraceId);
        Assert.Equal(server.Str("span_id"), response.SpanId);
    }

    [Fact]
    public async Task An_incoming_traceparent_is_continued()
    {
        await using var app = await OrdersApp.StartAsync();
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var parentId = ActivitySpanId.CreateRandom().ToHexString();

        var response = await app.PostOrderAsync(traceparent: $"00-{traceId}-{parentId}-01");
        await app.FlushRequestAsync(traceId);

        Assert.Equal(traceId, response.TraceId);
        var server = Assert.Single(app.SpansOf(traceId), s => s.Str("kind") == "SERVER");
        Assert.Equal(parentId, server.Str("parent_span_id"));
        Assert.Contains(traceId, Assert.Single(app.Downstream.Requests)["traceparent"]);
    }

    [Fact]
    public async Task An_unhandled_exception_gives_500_an_error_server_span_and_an_error_log()
    {
        await using var app = await OrdersApp.StartAsync();

        // An exception that reaches the server leaves no room for response headers: the trace id comes from the caller.
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/boom");
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var response = await app.Client.SendAsync(request);
        await app.FlushRequestAsync(traceId);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var server = Assert.Single(app.SpansOf(traceId));
        Assert.Equal("SERVER", server.Str("kind"));
        Assert.Equal("GET /boom", server.Str("name"));
        Assert.Equal("ERROR", server.Str("status"));
        Assert.Equal("System.InvalidOperationException", server.Label("error_type"));
        Assert.Equal("boom", server.Label("error_message"));
        var errorLog = Assert.Single(app.LogsOf(traceId), l => l.Str("level") == "ERROR");
        Assert.Equal("System.InvalidOperationException", errorLog.Label("exception_type"));
        Assert.Equal("boom", errorLog.Label("exception_message"));
    }

    [Theory]
    [InlineData("EnableHttpTracking")]
    [InlineData("EnableHttpClientTracking")]
    [InlineData("EnableDbTracking")]
    [InlineData("EnableLogTracking")]
    public async Task Each_flag_off_removes_exactly_its_records(string flag)
    {
        var baseline = await RecordKindsAsync(settings: null);
        var without = await RecordKindsAsync(new Dictionary<string, string?> { ["Panopticon:" + flag] = "false" });

        var removed = flag switch
        {
            "EnableHttpTracking" => "SERVER",
            "EnableHttpClientTracking" => "HTTP-CLIENT",
            "EnableDbTracking" => "DB",
            _ => "LOG",
        };
        Assert.True(baseline[removed] > 0);
        Assert.Equal(0, without[removed]);
        foreach (var (kind, count) in baseline)
        {
            if (kind != removed)
            {
                Assert.True(count == without[kind], $"{kind}: {count} with all flags on, {without[kind]} with {flag} off");
            }
        }
    }

    [Fact]
    public async Task The_sdks_own_export_calls_are_never_traced()
    {
        await using var app = await OrdersApp.StartAsync();

        var first = await app.PostOrderAsync();
        await app.FlushRequestAsync(first.TraceId); // export calls happen here …
        var second = await app.PostOrderAsync();
        await app.FlushRequestAsync(second.TraceId); // … and any span they made would arrive here

        Assert.NotEmpty(app.Producer.Spans);
        Assert.DoesNotContain(app.Producer.Spans, s => s.Str("kind") == "CLIENT" && s.GetRawText().Contains("/sdk/", StringComparison.Ordinal));
        Assert.All(app.Producer.RequestHeaders, h => Assert.False(h.ContainsKey("traceparent")));
        Assert.Equal(2, app.Producer.Spans.Count(s => s.Str("kind") == "SERVER"));
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    private static async Task<Dictionary<string, int>> RecordKindsAsync(IDictionary<string, string?>? settings)
    {
        await using var app = await OrdersApp.StartAsync(settings);
        var response = await app.PostOrderAsync();
        await app.FlushRequestAsync(
            response.TraceId,
            serverSpan: settings?.ContainsKey("Panopticon:EnableHttpTracking") != true,
            logs: settings?.ContainsKey("Panopticon:EnableLogTracking") != true);
        var spans = app.SpansOf(response.TraceId);
        return new Dictionary<string, int>
        {
            ["SERVER"] = spans.Count(s => s.Str("kind") == "SERVER"),
            ["HTTP-CLIENT"] = spans.Count(s => s.Str("kind") == "CLIENT" && s.HasLabel("http_url")),
            ["DB"] = spans.Count(s => s.HasLabel("db_system")),
            ["OTHER-SPANS"] = spans.Count(s => s.Str("kind") != "SERVER" && !s.HasLabel("http_url") && !s.HasLabel("db_system")),
            ["LOG"] = app.Producer.Logs.Count(l => l.Str("trace_id") == response.TraceId),
        };
    }
}
