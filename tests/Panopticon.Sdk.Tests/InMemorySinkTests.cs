using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Panopticon.Sdk.Engine;
using Panopticon.Sdk.Testing;

namespace Panopticon.Sdk.Tests;

public sealed class InMemorySinkTests
{
    [Fact]
    public async Task Flush_delivers_logs_and_spans_to_the_sink()
    {
        var sink = new InMemoryPanopticonSink();
        await using var client = sink.CreateClient(o => o.ServiceName = "svc");
        using var activity = new Activity("work").SetIdFormat(ActivityIdFormat.W3C).Start();
        client.TryWriteLog(new LogRecord { Timestamp = DateTimeOffset.UtcNow, Level = LogLevel.Information, Category = "cat", Message = "hello", TraceId = activity.TraceId, SpanId = activity.SpanId });
        activity.Stop();
        client.TryWriteSpan(activity);

        var result = await client.FlushAsync();

        Assert.True(result.Succeeded);
        Assert.Equal(2, result.Sent);
        var log = Assert.Single(sink.Logs);
        Assert.Equal("hello", log.GetProperty("message").GetString());
        Assert.Equal(activity.TraceId.ToHexString(), log.GetProperty("trace_id").GetString());
        var span = Assert.Single(sink.Spans);
        Assert.Equal("work", span.GetProperty("name").GetString());
        Assert.Equal(0, client.BufferSize);
    }
}
