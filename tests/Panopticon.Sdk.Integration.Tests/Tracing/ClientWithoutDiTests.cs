using Microsoft.Extensions.Logging;
using Panopticon.Sdk.Integration.Tests.Support;
using Panopticon.Sdk.Testing;

namespace Panopticon.Sdk.Integration.Tests.Tracing;

/// <summary>A client from <c>PanopticonClient.Create</c> (here through the in-memory sink): its own spans and loggers.</summary>
public sealed class ClientWithoutDiTests
{
    [Fact]
    public async Task Its_loggers_honour_MinimumLogLevel_and_carry_the_ids_of_the_current_span()
    {
        var sink = new InMemoryPanopticonSink();
        await using var client = sink.CreateClient(o => o.MinimumLogLevel = LogLevel.Debug);
        using var factory = client.CreateLoggerFactory();
        var logger = factory.CreateLogger("Import");

        using (var span = PanopticonTrace.StartSpan("import"))
        {
            logger.LogDebug("Reading {File}", "orders.csv");
            logger.LogTrace("below the minimum");
        }

        await client.FlushAsync();
        var log = Assert.Single(sink.Logs);
        var spanRecord = Assert.Single(sink.Spans, s => s.Str("name") == "import");
        Assert.Equal("DEBUG", log.Str("level"));
        Assert.Equal("orders.csv", log.Label("File"));
        Assert.Equal(spanRecord.Str("trace_id"), log.Str("trace_id"));
        Assert.Equal(spanRecord.Str("span_id"), log.Str("span_id"));
    }

    [Fact]
    public async Task Hooks_added_on_its_options_filter_and_enrich_what_it_sends()
    {
        var sink = new InMemoryPanopticonSink();
        await using var client = sink.CreateClient(o =>
        {
            o.EnrichSpans(span => span.SetLabel("tenant", "acme"));
            o.FilterSpans(span => span.Name != "heartbeat");
            o.EnrichLogs(log => log.SetLabel("tenant", "acme"));
            o.FilterLogs(log => log.Level >= LogLevel.Warning);
        });
        var logger = client.CreateLogger("Import");

        using (PanopticonTrace.StartSpan("import"))
        {
            logger.LogInformation("Reading {File}", "orders.csv");
            logger.LogWarning("Row {Row} skipped", 7);
        }

        using (PanopticonTrace.StartSpan("heartbeat"))
        {
        }

        await client.FlushAsync();
        var span = Assert.Single(sink.Spans);
        Assert.Equal("import", span.Str("name"));
        Assert.Equal("acme", span.Label("tenant"));
        var log = Assert.Single(sink.Logs);
        Assert.Equal("Row 7 skipped", log.Str("message"));
        Assert.Equal("acme", log.Label("tenant"));
        Assert.Equal(2, client.Statistics.DroppedByReason["filtered"]);
    }

    [Fact]
    public async Task The_spans_of_its_Sources_are_sent_and_a_disabled_client_listens_to_nothing()
    {
        using var source = new System.Diagnostics.ActivitySource("Import.Files");
        var sink = new InMemoryPanopticonSink();
        await using (var disabled = sink.CreateClient(o => o.Enabled = false))
        {
            Assert.Null(PanopticonTrace.StartSpan("import"));
            Assert.Null(source.StartActivity("read"));
        }

        await using var client = sink.CreateClient(o => o.Sources.Add("Import.*"));
        using (source.StartActivity("read"))
        {
        }

        await client.FlushAsync();
        Assert.Equal("read", Assert.Single(sink.Spans).Str("name"));
    }
}
