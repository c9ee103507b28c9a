using System.Net;
using System.Text.Json.Nodes;

namespace Panopticon.Producer.Tests;

public sealed class QueryApiTests(QueryApiFixture data) : IClassFixture<QueryApiFixture>
{
    private readonly HttpClient _client = data.Client;

    [Fact]
    public async Task A_trace_returns_its_spans_by_start_time_and_its_logs()
    {
        var trace = await GetJsonAsync($"/api/traces/{data.TraceA}");

        Assert.Equal(data.TraceA, trace["traceId"]!.GetValue<string>());
        var spans = trace["spans"]!.AsArray();
        Assert.Equal([data.RootA, data.DbA, data.ClientA, data.PaymentA], spans.Select(s => s!["spanId"]!.GetValue<string>()));
        Assert.Null(spans[0]!["parentSpanId"]);
        Assert.Equal(data.ClientA, spans[3]!["parentSpanId"]!.GetValue<string>());
        Assert.Equal("2025-03-01T11:50:00.035Z", spans[3]!["timestamp"]!.GetValue<string>());
        Assert.Equal(50, spans[2]!["durationMs"]!.GetValue<double>());
        Assert.Equal(200, spans[2]!["httpStatusCode"]!.GetValue<int>());
        Assert.Equal("http://payments/payments/7", spans[2]!["labels"]!["http_url"]!.GetValue<string>());
        Assert.Equal(["order 7 loaded", "payment slow: 50% of budget used"], trace["logs"]!.AsArray().Select(l => l!["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task An_unknown_trace_is_404()
    {
        using var response = await _client.GetAsync($"/api/traces/{Wire.NewTraceId()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("xyz")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("0123456789abcdef0123456789abcdef0")]
    public async Task An_invalid_trace_id_is_400(string traceId)
    {
        using var response = await _client.GetAsync($"/api/traces/{traceId}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("32 lowercase hex", (await response.JsonAsync())["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Recent_traces_are_newest_first_with_root_duration_status_and_span_count()
    {
        var traces = (await GetJsonAsync("/api/traces"))["traces"]!.AsArray();

        Assert.Equal([data.TraceC, data.TraceB, data.TraceA, data.TraceD], Ids(traces));
        var a = traces[2]!;
        Assert.Equal("GET /orders/{id}", a["rootName"]!.GetValue<string>());
        Assert.Equal("orders", a["serviceName"]!.GetValue<string>());
        Assert.Equal("2025-03-01T11:50:00Z", a["start"]!.GetValue<string>());
        Assert.Equal(100, a["durationMs"]!.GetValue<double>());
        Assert.Equal("OK", a["status"]!.GetValue<string>());
        Assert.Equal(4, a["spanCount"]!.GetValue<int>());
        Assert.Equal("ERROR", traces[1]!["status"]!.GetValue<string>());
        Assert.Equal(1, traces[1]!["errorCount"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("service=payments", "B,A")]
    [InlineData("service=orders", "C,A,D")]
    [InlineData("service=nobody", "")]
    [InlineData("status=ERROR", "B")]
    [InlineData("status=OK", "C,A,D")]
    [InlineData("minDurationMs=100", "B,A,D")]
    [InlineData("minDurationMs=100.5", "B,D")]
    [InlineData("limit=2", "C,B")]
    [InlineData("service=orders&status=OK&minDurationMs=50&limit=1", "A")]
    public async Task Recent_traces_can_be_filtered(string query, string expected)
    {
        var traces = (await GetJsonAsync($"/api/traces?{query}"))["traces"]!.AsArray();

        Assert.Equal(Names(expected).Select(TraceId), Ids(traces));
    }

    [Theory]
    [InlineData("/api/traces?status=FAILED", "'status' must be one of OK, ERROR")]
    [InlineData("/api/traces?limit=0", "'limit' must be an integer from 1 to 1000")]
    [InlineData("/api/traces?limit=abc", "'limit' must be an integer")]
    [InlineData("/api/traces?limit=1001", "'limit' must be an integer")]
    [InlineData("/api/traces?minDurationMs=-1", "'minDurationMs' must be a number not below 0")]
    [InlineData("/api/traces?minDurationMs=NaN", "'minDurationMs' must be a number")]
    [InlineData("/api/traces?status=OK&status=ERROR", "'status' may be given only once")]
    [InlineData("/api/logs?level=TRACE", "'level' must be one of DEBUG, INFO, WARN, ERROR")]
    [InlineData("/api/logs?traceId=abc", "'traceId' must be 32 lowercase hex digits")]
    [InlineData("/api/logs?from=yesterday", "'from' must be an ISO-8601 date-time")]
    [InlineData("/api/logs?to=2025-02-30T00:00:00Z", "'to' must be an ISO-8601 date-time")]
    [InlineData("/api/logs?from=2025-03-01T12:00:00Z&to=2025-03-01T11:00:00Z", "'from' must not be after 'to'")]
    [InlineData("/api/logs?offset=-1", "'offset' must be an integer")]
    [InlineData("/api/logs?limit=5000", "'limit' must be an integer from 1 to 1000")]
    [InlineData("/api/stats?window=0", "'window' must be an integer from 1 to 44640")]
    [InlineData("/api/stats?window=1h", "'window' must be an integer")]
    public async Task Invalid_query_parameters_are_400_with_a_reason(string url, string reason)
    {
        using var response = await _client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, (await response.JsonAsync())["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Logs_are_newest_first_with_a_total()
    {
        var page = await GetJsonAsync("/api/logs");

        Assert.Equal(5, page["total"]!.GetValue<long>());
        Assert.Equal(
            ["retry in 500ms", "payment declined_card", "payment slow: 50% of budget used", "order 7 loaded", "cache warmed"],
            Messages(page));
    }

    [Theory]
    [InlineData("service=orders", "order 7 loaded|cache warmed")]
    [InlineData("level=ERROR", "payment declined_card")]
    [InlineData("level=DEBUG", "cache warmed")]
    [InlineData("q=50%25", "payment slow: 50% of budget used")]
    [InlineData("q=DECLINED", "payment declined_card")]
    [InlineData("q=d_c", "payment declined_card")]
    [InlineData("q=nothing-matches", "")]
    [InlineData("from=2025-03-01T11:54:00Z", "retry in 500ms|payment declined_card")]
    [InlineData("to=2025-03-01T11:45:00Z", "cache warmed")]
    [InlineData("from=2025-03-01T11:50:00.010Z&to=2025-03-01T11:50:00.010Z", "order 7 loaded")]
    [InlineData("service=payments&level=INFO", "retry in 500ms")]
    public async Task Logs_can_be_filtered(string query, string expected)
    {
        var page = await GetJsonAsync($"/api/logs?{query}");

        var messages = expected.Length == 0 ? [] : expected.Split('|');
        Assert.Equal(messages, Messages(page));
        Assert.Equal(messages.Length, page["total"]!.GetValue<long>());
    }

    [Fact]
    public async Task Logs_can_be_filtered_by_trace()
    {
        var page = await GetJsonAsync($"/api/logs?traceId={data.TraceB}");

        Assert.Equal(["retry in 500ms", "payment declined_card"], Messages(page));
        Assert.All(page["items"]!.AsArray(), l => Assert.Equal(data.TraceB, l!["traceId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Logs_are_paged_with_limit_and_offset()
    {
        var first = await GetJsonAsync("/api/logs?limit=2");
        var second = await GetJsonAsync("/api/logs?limit=2&offset=2");
        var last = await GetJsonAsync("/api/logs?limit=2&offset=4");
        var beyond = await GetJsonAsync("/api/logs?limit=2&offset=10");

        Assert.Equal(["retry in 500ms", "payment declined_card"], Messages(first));
        Assert.Equal(["payment slow: 50% of budget used", "order 7 loaded"], Messages(second));
        Assert.Equal(["cache warmed"], Messages(last));
        Assert.Empty(Messages(beyond));
        Assert.All([first, second, last, beyond], p => Assert.Equal(5, p["total"]!.GetValue<long>()));
        Assert.Equal(2, second["offset"]!.GetValue<int>());
        Assert.Equal(2, second["limit"]!.GetValue<int>());
    }

    [Fact]
    public async Task Stats_cover_server_spans_in_the_default_hour_per_endpoint_and_service()
    {
        var stats = await GetJsonAsync("/api/stats");

        Assert.Equal(60, stats["windowMinutes"]!.GetValue<int>());
        Assert.Equal("2025-03-01T11:00:00Z", stats["from"]!.GetValue<string>());
        var endpoints = stats["endpoints"]!.AsArray();
        Assert.Equal(
            ["orders GET /orders/{id} 2", "payments GET /payments/{id} 1", "payments POST /payments 1"],
            endpoints.Select(e => $"{e!["serviceName"]} {e["endpoint"]} {e["requestCount"]}"));
        var orders = endpoints[0]!;
        Assert.Equal(0, orders["errorRate"]!.GetValue<double>());
        Assert.Equal(20, orders["p50Ms"]!.GetValue<double>());
        Assert.Equal(100, orders["p95Ms"]!.GetValue<double>());
        Assert.Equal(1, endpoints[2]!["errorRate"]!.GetValue<double>());

        var services = stats["services"]!.AsArray();
        Assert.Equal(["orders 2 0", "payments 2 1"], services.Select(s => $"{s!["serviceName"]} {s["requestCount"]} {s["errorCount"]}"));
        Assert.Equal(0.5, services[1]!["errorRate"]!.GetValue<double>());
        Assert.Equal(500, services[1]!["p99Ms"]!.GetValue<double>());
    }

    [Fact]
    public async Task A_wider_stats_window_includes_older_requests()
    {
        var stats = await GetJsonAsync("/api/stats?window=240");

        var orders = stats["endpoints"]!.AsArray().Single(e => e!["endpoint"]!.GetValue<string>() == "GET /orders/{id}")!;
        Assert.Equal(3, orders["requestCount"]!.GetValue<int>());
        Assert.Equal(100, orders["p50Ms"]!.GetValue<double>());
        Assert.Equal(1000, orders["p95Ms"]!.GetValue<double>());
        Assert.Equal(1000, orders["p99Ms"]!.GetValue<double>());
    }

    [Fact]
    public async Task A_narrow_stats_window_holds_only_the_latest_requests()
    {
        var stats = await GetJsonAsync("/api/stats?window=3");

        var endpoint = Assert.Single(stats["endpoints"]!.AsArray())!;
        Assert.Equal("GET /orders/{id}", endpoint["endpoint"]!.GetValue<string>());
        Assert.Equal(20, endpoint["p99Ms"]!.GetValue<double>());
    }

    private string TraceId(string name) => name switch
    {
        "A" => data.TraceA,
        "B" => data.TraceB,
        "C" => data.TraceC,
        _ => data.TraceD,
    };

    private static string[] Names(string csv) => csv.Length == 0 ? [] : csv.Split(',');

    private static IEnumerable<string> Ids(JsonArray traces) => traces.Select(t => t!["traceId"]!.GetValue<string>());

    private static string[] Messages(JsonNode page) => page["items"]!.AsArray().Select(l => l!["message"]!.GetValue<string>()).ToArray();

    private async Task<JsonNode> GetJsonAsync(string url)
    {
        using var response = await _client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }
}
