using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Panopticon.Sdk.Testing;

namespace Panopticon.Sdk.Tests;

public sealed class InMemorySinkTests
{
    [Fact]
    public async Task Flush_delivers_logs_and_spans_to_the_sink()
    {
        // Without dependency injection, as a console app or a test uses the sink: CreateClient and its own logger.
        var sink = new InMemoryPanopticonSink();
        using var source = new ActivitySource("Panopticon.Sdk.Tests.Sink." + Guid.NewGuid().ToString("N"));
        await using var client = sink.CreateClient(o => { o.ServiceName = "svc"; o.Sources.Add(source.Name); });
        using var loggers = client.CreateLoggerFactory();
        var activity = source.StartActivity("work")!;
        loggers.CreateLogger("cat").LogInformation("hello");
        activity.Stop();

        var result = await client.FlushAsync();

        Assert.True(result.Succeeded);
        Assert.Equal(2, result.Sent);
        var log = Assert.Single(sink.Logs);
        Assert.Equal("hello", log.GetProperty("message").GetString());
        Assert.Equal(activity.TraceId.ToHexString(), log.GetProperty("trace_id").GetString());
        Assert.Equal("cat", log.GetProperty("labels").GetProperty("context").GetString());
        Assert.Equal("svc", log.GetProperty("service_name").GetString());
        var span = Assert.Single(sink.Spans);
        Assert.Equal("work", span.GetProperty("name").GetString());
        Assert.Equal(0, client.BufferSize);
    }
}
