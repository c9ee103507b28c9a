using System.Text.Json;
using Panopticon.Sdk.Integration.Tests.Support;

namespace Panopticon.Sdk.Integration.Tests.Tracing;

/// <summary>
/// The worker and console samples run as real processes against WireMock: custom spans, their child HttpClient spans and
/// correlated logs arrive, delivered by the shutdown flush (SIGTERM for the worker, disposing the client for the console).
/// </summary>
public sealed class SampleAppTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_worker_sends_its_custom_spans_with_child_http_spans_and_correlated_logs_on_SIGTERM()
    {
        using var producer = new ProducerStub();
        using var inventory = new DownstreamStub();
        using var worker = SampleProcess.Start("Panopticon.Samples.Worker", new Dictionary<string, string>
        {
            ["PANOPTICON_API_KEY"] = "test-key",
            ["Panopticon__Endpoint"] = producer.Url, // configuration, as appsettings.json names one (PANOPTICON_ENDPOINT fills only a default)
            ["Panopticon__Compression"] = "None",
            ["Panopticon__FlushInterval"] = "00:10:00", // nothing leaves before the shutdown flush
            ["Inventory__Url"] = inventory.Url,
        });

        await worker.WaitForOutputAsync("All 3 orders processed", StartTimeout);
        Assert.Empty(producer.Spans);
        await worker.TerminateAsync();
        await worker.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(worker.ExitCode == 0, worker.Output);
        var orders = producer.Spans.Where(s => s.Str("name") == "process-order").ToList();
        Assert.True(orders.Count == 3, $"spans: {string.Join(", ", producer.Spans.Select(s => s.Str("name")))}; logs: {string.Join(" | ", producer.Logs.Select(l => l.Str("message")))}; output: {worker.Output}");
        Assert.Equal(3, orders.Select(s => s.Str("trace_id")).Distinct().Count());
        foreach (var order in orders)
        {
            Assert.Equal("INTERNAL", order.Str("kind"));
            Assert.Equal(JsonValueKind.Null, order.GetProperty("parent_span_id").ValueKind); // the root of its trace
            var orderId = order.Label("order_id");
            var client = Assert.Single(producer.Spans, s => s.Str("kind") == "CLIENT" && s.Str("trace_id") == order.Str("trace_id"));
            Assert.Equal(order.Str("span_id"), client.Str("parent_span_id"));
            Assert.Equal($"/inventory/WIDGET-{orderId}", client.Str("http_path"));
            var log = Assert.Single(producer.Logs, l => l.Str("message") == $"Order {orderId} processed: inventory answered 200");
            Assert.Equal(order.Str("trace_id"), log.Str("trace_id"));
            Assert.Equal(order.Str("span_id"), log.Str("span_id"));
            Assert.Equal("order-worker", log.Str("service_name"));
        }
    }

    [Fact]
    public async Task A_console_app_without_DI_sends_its_failed_span_and_the_correlated_log_when_the_client_is_disposed()
    {
        using var producer = new ProducerStub();
        using var app = SampleProcess.Start("Panopticon.Samples.Console", new Dictionary<string, string>
        {
            ["PANOPTICON_API_KEY"] = "test-key",
            ["PANOPTICON_ENDPOINT"] = producer.Url,
            ["PANOPTICON_SERVICE_NAME"] = "nightly-import",
        });

        await app.WaitForExitAsync(StartTimeout);

        Assert.True(app.ExitCode == 0, app.Output);
        var span = Assert.Single(producer.Spans);
        Assert.Equal("import-orders", span.Str("name"));
        Assert.Equal("INTERNAL", span.Str("kind"));
        Assert.Equal("ERROR", span.Str("status"));
        Assert.Equal("nightly-import", span.Str("service_name"));
        Assert.Equal("orders.csv", span.Label("file"));
        Assert.Equal("System.FormatException", span.Label("exception_type"));
        Assert.False(string.IsNullOrEmpty(span.Label("exception_message")));
        Assert.Contains("System.FormatException", span.Label("exception_stacktrace"));
        var log = Assert.Single(producer.Logs);
        Assert.Equal("Importing 3 lines", log.Str("message"));
        Assert.Equal("Import", log.Label("context"));
        Assert.Equal(span.Str("trace_id"), log.Str("trace_id"));
        Assert.Equal(span.Str("span_id"), log.Str("span_id"));
    }
}
