using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Panopticon.Sdk;
using Panopticon.Sdk.Testing;

namespace Panopticon.EndToEnd.Tests;

/// <summary>
/// The demo app as users copy it, hosted on a real loopback Kestrel port (its HttpClient calls its own inventory
/// endpoint) with the SDK's in-memory sink in place of the network: each endpoint produces the trace it promises.
/// </summary>
[Collection(InProcessHosts.Name)]
public sealed class DemoAppTests : IAsyncLifetime
{
    private readonly InMemoryPanopticonSink _sink = new();
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"panopticon-demo-{Guid.NewGuid():N}.db");
    private WebApplicationFactory<Program> _factory = null!;
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("ConnectionStrings:Orders", $"Data Source={_database}");
            web.ConfigureServices(services => services.AddPanopticon(_ => { }).UseInMemorySink(_sink));
        });
        _factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        // The app's instrumentation runs in this process too: without a propagator, the test's own calls send no
        // traceparent, so each request starts its trace at the app's server span, as it would for an outside caller.
        var address = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _client = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = new Uri(address) };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_database);
    }

    [Fact]
    public async Task Placing_an_order_gives_one_trace_with_server_http_client_downstream_and_database_spans_and_logs()
    {
        using var response = await _client.PostAsJsonAsync("/orders", new { sku = "WIDGET-1", quantity = 2, customer = "ada" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var traceId = response.Headers.GetValues("X-Trace-Id").Single();
        Assert.Equal(traceId, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("traceId").GetString());

        await FlushUntilAsync(() => Spans(traceId).Any(s => Str(s, "name") == "POST /orders"));

        var spans = Spans(traceId);
        var server = Assert.Single(spans, s => Str(s, "name") == "POST /orders");
        Assert.Equal("SERVER", Str(server, "kind"));
        Assert.Equal(JsonValueKind.Null, server.GetProperty("parent_span_id").ValueKind);
        var call = Assert.Single(spans, s => Str(s, "kind") == "CLIENT" && Str(s, "http_method") == "GET");
        Assert.Equal("/inventory/WIDGET-1", Str(call, "http_path"));
        Assert.Equal(Str(server, "span_id"), Str(call, "parent_span_id"));
        var downstream = Assert.Single(spans, s => Str(s, "name") == "GET /inventory/{sku}");
        Assert.Equal(Str(call, "span_id"), Str(downstream, "parent_span_id"));
        var insert = Assert.Single(spans, s => Label(s, "db_operation") == "INSERT");
        Assert.Equal("sqlite", Label(insert, "db_system"));
        Assert.Equal(Str(server, "span_id"), Str(insert, "parent_span_id"));

        var logs = Logs(traceId);
        var placing = Assert.Single(logs, l => Str(l, "message") == "Placing order of 2 x WIDGET-1 for ada");
        Assert.Equal("WIDGET-1", Label(placing, "Sku"));
        Assert.Equal(Str(server, "span_id"), Str(placing, "span_id"));
        Assert.Contains(logs, l => Str(l, "span_id") == Str(downstream, "span_id") && Str(l, "message")!.StartsWith("Stock of WIDGET-1", StringComparison.Ordinal));
        Assert.Contains(logs, l => Str(l, "message")!.StartsWith("Order 1 placed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_order_summary_is_a_model_call_with_tokens_and_the_cost_at_the_configured_prices()
    {
        using var response = await _client.GetAsync("/assistant/summary");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var traceId = response.Headers.GetValues("X-Trace-Id").Single();

        await FlushUntilAsync(() => Spans(traceId).Any(s => Str(s, "name") == "GET /assistant/summary"));

        var spans = Spans(traceId);
        var server = Assert.Single(spans, s => Str(s, "name") == "GET /assistant/summary");
        var llm = Assert.Single(spans, s => Str(s, "name") == "chat gpt-4o-mini");
        Assert.Equal("CLIENT", Str(llm, "kind"));
        Assert.Equal(Str(server, "span_id"), Str(llm, "parent_span_id"));
        var labels = llm.GetProperty("labels");
        Assert.Equal("gpt-4o-mini-2024-07-18", labels.GetProperty("llm_model").GetString());
        var input = labels.GetProperty("llm_input_tokens").GetInt64();
        var cached = labels.GetProperty("llm_cached_input_tokens").GetInt64();
        var output = labels.GetProperty("llm_output_tokens").GetInt64();
        Assert.Equal(input + output, labels.GetProperty("llm_total_tokens").GetInt64());

        // appsettings.json: 0.15 per million input tokens, 0.075 cached, 0.60 output.
        Assert.Equal(((input - cached) * 0.15 + cached * 0.075 + output * 0.60) / 1_000_000, labels.GetProperty("llm_cost_usd").GetDouble(), 12);
        var modelCall = Assert.Single(spans, s => Str(s, "kind") == "CLIENT" && Str(s, "http_path") == "/v1/chat/completions");
        Assert.Equal(Str(llm, "span_id"), Str(modelCall, "parent_span_id"));
    }

    [Fact]
    public async Task The_failing_endpoint_gives_an_error_span_and_the_exception_log_in_its_trace()
    {
        using var response = await _client.GetAsync("/orders/fail");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var traceId = response.Headers.GetValues("X-Trace-Id").Single();

        await FlushUntilAsync(() => Spans(traceId).Any(s => Str(s, "kind") == "SERVER") && Logs(traceId).Any(l => Str(l, "level") == "ERROR"));

        var server = Assert.Single(Spans(traceId), s => Str(s, "kind") == "SERVER");
        Assert.Equal("GET /orders/fail", Str(server, "name"));
        Assert.Equal("ERROR", Str(server, "status"));
        Assert.Contains(Spans(traceId), s => Label(s, "db_operation") == "SELECT");
        Assert.Contains(Logs(traceId), l => Str(l, "level") == "WARN" && Str(l, "message")!.StartsWith("Charging", StringComparison.Ordinal));
        var error = Assert.Single(Logs(traceId), l => Str(l, "level") == "ERROR");
        Assert.Equal("System.InvalidOperationException", Label(error, "exception_type"));
    }

    [Fact]
    public async Task Trace_id_endpoint_returns_the_id_of_the_request_trace()
    {
        using var response = await _client.GetAsync("/trace-id");
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var traceId = body.GetProperty("traceId").GetString();
        Assert.Matches("^[0-9a-f]{32}$", traceId);
        Assert.Equal(response.Headers.GetValues("X-Trace-Id").Single(), traceId);
        Assert.Matches("^[0-9a-f]{16}$", body.GetProperty("spanId").GetString());
    }

    /// <summary>The server span ends just after the response reaches the client, so flush until it is there (bounded).</summary>
    private async Task FlushUntilAsync(Func<bool> condition)
    {
        var client = _factory.Services.GetRequiredService<IPanopticonClient>();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Assert.True((await client.FlushAsync()).Succeeded);
            if (condition())
            {
                return;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the expected telemetry did not arrive within 10 s");
            await Task.Delay(20);
        }
    }

    private List<JsonElement> Spans(string traceId) => [.. _sink.Spans.Where(s => Str(s, "trace_id") == traceId)];

    private List<JsonElement> Logs(string traceId) => [.. _sink.Logs.Where(l => Str(l, "trace_id") == traceId)];

    private static string? Str(JsonElement record, string name) =>
        record.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? Label(JsonElement record, string name) =>
        record.TryGetProperty("labels", out var labels) && labels.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.ToString()
            : null;
}
