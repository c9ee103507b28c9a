using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Panopticon.Sdk.Testing;
using Panopticon.Sdk.Tests.Support;

namespace Panopticon.Sdk.Tests;

public sealed partial class WireFormatTests
{
    private static readonly string[] LogFields = ["type", "timestamp", "service_name", "environment", "level", "message", "trace_id", "span_id", "http_method", "http_path", "http_status_code", "labels"];
    private static readonly string[] SpanFields = ["type", "timestamp", "service_name", "environment", "trace_id", "span_id", "parent_span_id", "name", "kind", "duration_ms", "status", "http_method", "http_path", "http_status_code", "labels"];
    private readonly InMemoryPanopticonSink _sink = new();

    [Fact]
    public async Task Log_record_has_exactly_the_producer_fields()
    {
        await using var app = await MonitoredApp.StartAsync(_sink, o => { o.ServiceName = "order-service"; o.Environment = "staging"; }, new FakeTimeProvider(Records.Noon));
        var request = app.StartSpan("request")!;

        app.Logger().LogInformation("Order {OrderId} shipped", 42);
        MonitoredApp.End(request);
        await app.FlushAsync();

        var log = Assert.Single(_sink.Logs);
        Assert.All(log.EnumerateObject(), p => Assert.Contains(p.Name, LogFields));
        Assert.Equal("log", log.GetProperty("type").GetString());
        Assert.Equal("2026-11-23T12:00:00.123Z", log.GetProperty("timestamp").GetString());
        Assert.Equal("order-service", log.GetProperty("service_name").GetString());
        Assert.Equal("staging", log.GetProperty("environment").GetString());
        Assert.Equal("INFO", log.GetProperty("level").GetString());
        Assert.Equal("Order 42 shipped", log.GetProperty("message").GetString());
        Assert.Matches(TraceIdPattern(), log.GetProperty("trace_id").GetString());
        Assert.Equal(request.TraceId.ToHexString(), log.GetProperty("trace_id").GetString());
        Assert.Matches(SpanIdPattern(), log.GetProperty("span_id").GetString());
        Assert.Equal(request.SpanId.ToHexString(), log.GetProperty("span_id").GetString());
        var labels = log.GetProperty("labels");
        Assert.Equal("Tests.Category", labels.GetProperty("context").GetString());
        Assert.Equal(42, labels.GetProperty("OrderId").GetInt32());
        Assert.False(labels.TryGetProperty("{OriginalFormat}", out _));
    }

    [Theory]
    [InlineData(LogLevel.Trace, "DEBUG")]
    [InlineData(LogLevel.Debug, "DEBUG")]
    [InlineData(LogLevel.Information, "INFO")]
    [InlineData(LogLevel.Warning, "WARN")]
    [InlineData(LogLevel.Error, "ERROR")]
    [InlineData(LogLevel.Critical, "ERROR")]
    public async Task Levels_are_limited_to_what_the_producer_keeps(LogLevel level, string expected)
    {
        await using var app = await MonitoredApp.StartAsync(_sink, o => o.MinimumLogLevel = LogLevel.Trace);

        app.Logger().Log(level, "hello");
        await app.FlushAsync();

        var log = Assert.Single(_sink.Logs);
        Assert.Equal(expected, log.GetProperty("level").GetString());
        Assert.Equal(level == LogLevel.Critical, log.GetProperty("labels").TryGetProperty("severity", out var severity) && severity.GetString() == "critical");
    }

    [Fact]
    public async Task Exceptions_become_labels_and_an_empty_message_is_never_sent()
    {
        await using var app = await MonitoredApp.StartAsync(_sink);
        var exception = Throw(() => new InvalidOperationException("stock is gone"));

        app.Logger().LogError(exception, "");
        await app.FlushAsync();

        var log = Assert.Single(_sink.Logs);
        Assert.Equal("stock is gone", log.GetProperty("message").GetString());
        var labels = log.GetProperty("labels");
        Assert.Equal("System.InvalidOperationException", labels.GetProperty("exception_type").GetString());
        Assert.Equal("stock is gone", labels.GetProperty("exception_message").GetString());
        Assert.Contains(nameof(Throw), labels.GetProperty("exception_stacktrace").GetString());
        Assert.False(log.TryGetProperty("trace_id", out _), "a log outside a trace has no trace_id");
    }

    [Fact]
    public async Task Span_record_has_exactly_the_producer_fields_and_a_null_parent_for_roots()
    {
        await using var app = await MonitoredApp.StartAsync(_sink);

        var root = app.EndSpan("GET /orders/{id}", ActivityKind.Server, tags: [("http.request.method", "GET"), ("url.path", "/orders/7"), ("http.response.status_code", 200), ("http.route", "/orders/{id}")]);
        app.EndSpan("GET", ActivityKind.Client, root, ("http.request.method", "GET"), ("url.full", "https://stock.local/items?sku=abc&token=s3cret"), ("http.response.status_code", 503));
        app.EndSpan("publish", ActivityKind.Producer, root);
        await app.FlushAsync();

        var spans = _sink.Spans;
        Assert.Equal(3, spans.Count);
        Assert.All(spans, s => Assert.All(s.EnumerateObject(), p => Assert.Contains(p.Name, SpanFields)));
        var server = spans[0];
        Assert.Equal(JsonValueKind.Null, server.GetProperty("parent_span_id").ValueKind);
        Assert.Equal("SERVER", server.GetProperty("kind").GetString());
        Assert.Equal("GET /orders/{id}", server.GetProperty("name").GetString());
        Assert.Equal("OK", server.GetProperty("status").GetString());
        Assert.Equal(42.5, server.GetProperty("duration_ms").GetDouble());
        Assert.Equal("2026-11-23T12:00:00.123Z", server.GetProperty("timestamp").GetString());
        Assert.Equal("/orders/7", server.GetProperty("http_path").GetString());
        Assert.Equal(200, server.GetProperty("http_status_code").GetInt32());
        Assert.Equal("/orders/{id}", server.GetProperty("labels").GetProperty("http_route").GetString());

        var client1 = spans[1];
        Assert.Equal(root.SpanId.ToHexString(), client1.GetProperty("parent_span_id").GetString());
        Assert.Equal(root.TraceId.ToHexString(), client1.GetProperty("trace_id").GetString());
        Assert.Equal("CLIENT", client1.GetProperty("kind").GetString());
        Assert.Equal("ERROR", client1.GetProperty("status").GetString());
        Assert.Equal("/items", client1.GetProperty("http_path").GetString());
        Assert.Equal("https://stock.local/items?sku=REDACTED&token=REDACTED", client1.GetProperty("labels").GetProperty("http_url").GetString());
        Assert.DoesNotContain("s3cret", client1.GetRawText());

        Assert.Equal("INTERNAL", spans[2].GetProperty("kind").GetString());
        Assert.Equal("PRODUCER", spans[2].GetProperty("labels").GetProperty("span_kind").GetString());
    }

    [Fact]
    public async Task Failed_activity_becomes_an_error_span_with_its_exception()
    {
        await using var app = await MonitoredApp.StartAsync(_sink);
        var activity = app.StartSpan("checkout")!;

        activity.SetStatus(ActivityStatusCode.Error, "payment declined");
        activity.AddEvent(new ActivityEvent("exception", tags: new ActivityTagsCollection { ["exception.type"] = "PaymentException", ["exception.message"] = "declined" }));
        MonitoredApp.End(activity);
        await app.FlushAsync();

        var span = Assert.Single(_sink.Spans);
        Assert.Equal("ERROR", span.GetProperty("status").GetString());
        Assert.Equal("PaymentException", span.GetProperty("labels").GetProperty("error_type").GetString());
        Assert.Equal("payment declined", span.GetProperty("labels").GetProperty("error_message").GetString());
    }

    [Fact]
    public async Task User_labels_keep_one_type_per_key_and_never_replace_sdk_keys()
    {
        await using var app = await MonitoredApp.StartAsync(_sink);
        var logger = app.Logger();

        logger.LogInformation("{count} {context} {user.id} {ok} {when}", 1, "mine", "u-1", true, Records.Noon);
        logger.LogInformation("{count} {ok}", "many", "yes");
        await app.FlushAsync();

        var first = _sink.Logs[0].GetProperty("labels");
        Assert.Equal(JsonValueKind.Number, first.GetProperty("count").ValueKind);
        Assert.Equal("Tests.Category", first.GetProperty("context").GetString());
        Assert.Equal("mine", first.GetProperty("attr_context").GetString());
        Assert.Equal("u-1", first.GetProperty("user_id").GetString());
        Assert.Equal(JsonValueKind.True, first.GetProperty("ok").ValueKind);
        Assert.Equal("2026-11-23T12:00:00.1230000+00:00", first.GetProperty("when").GetString());

        var second = _sink.Logs[1].GetProperty("labels");
        Assert.False(second.TryGetProperty("count", out _), "a string may not be sent under a numeric key");
        Assert.Equal("many", second.GetProperty("count_str").GetString());
        Assert.Equal("yes", second.GetProperty("ok_str").GetString());
    }

    [Fact]
    public async Task Oversized_values_are_truncated_with_a_marker()
    {
        await using var app = await MonitoredApp.StartAsync(_sink, o => o.MaxValueLength = 100);

        app.Logger().LogInformation("{Text} {big}", new string('x', 500), new string('y', 500));
        await app.FlushAsync();

        var log = Assert.Single(_sink.Logs);
        var message = log.GetProperty("message").GetString()!;
        Assert.Equal(100, message.Length);
        Assert.StartsWith("xxxx", message);
        Assert.EndsWith("…[truncated]", message);
        Assert.Equal(100, log.GetProperty("labels").GetProperty("big").GetString()!.Length);
    }

    [Fact]
    public async Task Requests_stay_under_MaxBatchBytes_by_splitting()
    {
        var producer = new FakeProducer();
        using var _ = producer;
        await using var app = await MonitoredApp.StartAsync(producer.Url, o => { o.MaxBatchBytes = 4096; o.Compression = PanopticonCompression.None; });
        var logger = app.Logger();

        for (var i = 0; i < 100; i++)
        {
            logger.LogInformation("message {Index} {Padding}", i, new string('m', 100));
        }

        var result = await app.FlushAsync();

        Assert.Equal(100, result.Sent);
        var requests = producer.Requests(FakeProducer.LogsPath);
        Assert.True(requests.Count > 1, "one batch of 100 must be split");
        Assert.All(requests, r => Assert.True(FakeProducer.RawBody(r).Length <= 4096, $"body of {FakeProducer.RawBody(r).Length} bytes"));
        Assert.Equal(100, producer.Records(FakeProducer.LogsPath).Count);
    }

    [Fact]
    public async Task A_record_larger_than_MaxBatchBytes_alone_is_dropped_and_counted()
    {
        await using var app = await MonitoredApp.StartAsync(_sink, o => { o.MaxBatchBytes = 2048; o.MaxValueLength = 100_000; });
        var logger = app.Logger();

        logger.LogInformation("{Text}", new string('z', 5000));
        logger.LogInformation("small");
        var result = await app.FlushAsync();

        var appLogs = _sink.Logs.Where(l => l.GetProperty("labels").GetProperty("context").GetString() != "Panopticon.Sdk");
        Assert.Equal("small", Assert.Single(appLogs).GetProperty("message").GetString());
        Assert.Equal(1, result.Dropped);
        Assert.Equal(1, app.Client.Statistics.DroppedByReason["too_large"]);
    }

    private static Exception Throw(Func<Exception> create)
    {
        try
        {
            throw create();
        }
        catch (Exception exception)
        {
            return exception;
        }
    }

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex TraceIdPattern();

    [GeneratedRegex("^[0-9a-f]{16}$")]
    private static partial Regex SpanIdPattern();
}
