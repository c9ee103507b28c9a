using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace Panopticon.Producer.Tests;

/// <summary>
/// A Producer holding a known data set, with the clock fixed at <see cref="Now"/>:
/// trace A (orders → payments, 100 ms, OK), B (payments, 500 ms, ERROR), C (orders, 20 ms), D (orders, 1 s, 3 h ago).
/// </summary>
public sealed class QueryApiFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public ProducerFactory Factory { get; } = new(new(), new FakeTimeProvider(Now));

    public HttpClient Client { get; private set; } = null!;

    public string TraceA { get; } = Wire.NewTraceId();

    public string TraceB { get; } = Wire.NewTraceId();

    public string TraceC { get; } = Wire.NewTraceId();

    public string TraceD { get; } = Wire.NewTraceId();

    public string RootA { get; } = Wire.NewSpanId();

    public string DbA { get; } = Wire.NewSpanId();

    public string ClientA { get; } = Wire.NewSpanId();

    public string PaymentA { get; } = Wire.NewSpanId();

    public async Task InitializeAsync()
    {
        Client = Factory.CreateClient();
        var a = Now.AddMinutes(-10);
        var b = Now.AddMinutes(-5);
        var c = Now.AddMinutes(-2);
        var d = Now.AddHours(-3);
        var rootB = Wire.NewSpanId();

        var clientSpan = Wire.Span(TraceA, ClientA, RootA, "GET", "CLIENT", durationMs: 50, start: a.AddMilliseconds(30), service: "orders");
        clientSpan["http_method"] = "GET";
        clientSpan["http_status_code"] = 200;
        clientSpan["labels"] = new JsonObject { ["http_url"] = "http://payments/payments/7" };

        await PostAsync("/sdk/traces", Wire.Array(
            Wire.Span(TraceA, RootA, null, "GET /orders/{id}", "SERVER", durationMs: 100, start: a, service: "orders"),
            Wire.Span(TraceA, DbA, RootA, "SELECT orders", "INTERNAL", durationMs: 20, start: a.AddMilliseconds(5), service: "orders"),
            clientSpan,
            Wire.Span(TraceA, PaymentA, ClientA, "GET /payments/{id}", "SERVER", durationMs: 40, start: a.AddMilliseconds(35), service: "payments"),
            Wire.Span(TraceB, rootB, null, "POST /payments", "SERVER", "ERROR", 500, b, "payments"),
            Wire.Span(TraceC, Wire.NewSpanId(), null, "GET /orders/{id}", "SERVER", durationMs: 20, start: c, service: "orders"),
            Wire.Span(TraceD, Wire.NewSpanId(), null, "GET /orders/{id}", "SERVER", durationMs: 1000, start: d, service: "orders")));

        await PostAsync("/sdk/logs", Wire.Array(
            Wire.Log("order 7 loaded", "INFO", TraceA, RootA, a.AddMilliseconds(10), "orders"),
            Wire.Log("payment slow: 50% of budget used", "WARN", TraceA, PaymentA, a.AddMilliseconds(60), "payments"),
            Wire.Log("payment declined_card", "ERROR", TraceB, rootB, b.AddMilliseconds(400), "payments"),
            Wire.Log("retry in 500ms", "INFO", TraceB, rootB, b.AddMilliseconds(450), "payments"),
            Wire.Log("cache warmed", "DEBUG", time: Now.AddMinutes(-20), service: "orders")));
    }

    public Task DisposeAsync()
    {
        Factory.Dispose();
        return Task.CompletedTask;
    }

    private async Task PostAsync(string path, JsonNode body)
    {
        using var response = await Client.PostAsync(path, body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }
}
