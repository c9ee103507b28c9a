using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Panopticon.Sdk.Engine;

namespace Panopticon.Sdk.Benchmarks.Support;

/// <summary>Typical records, the same for every contender: ended HTTP server spans and structured log lines.</summary>
internal static class SampleData
{
    public const string SourceName = "Panopticon.Benchmarks";

    /// <summary>Ended, recorded server spans with the tags the ASP.NET Core instrumentation sets.</summary>
    public static Activity[] ServerSpans(int count)
    {
        using var source = new ActivitySource(SourceName + ".Samples");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s == source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        var start = new DateTime(2026, 1, 5, 12, 0, 0, DateTimeKind.Utc);
        var spans = new Activity[count];
        for (var i = 0; i < count; i++)
        {
            var parent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
            var activity = source.CreateActivity("GET /orders/{id}", ActivityKind.Server, parent)!;
            activity.SetTag("http.request.method", "GET");
            activity.SetTag("url.path", "/orders/" + i);
            activity.SetTag("url.scheme", "http");
            activity.SetTag("http.route", "/orders/{id}");
            activity.SetTag("server.address", "localhost");
            activity.SetTag("server.port", 8080);
            activity.SetTag("network.protocol.version", "1.1");
            activity.SetTag("user_agent.original", "benchmark/1.0");
            activity.SetTag("http.response.status_code", 200);
            activity.SetStartTime(start.AddMilliseconds(i));
            activity.Start();
            activity.SetEndTime(start.AddMilliseconds(i + 3.25));
            activity.Stop();
            spans[i] = activity;
        }

        return spans;
    }

    /// <summary>Log records as the provider captures them: a formatted message and two structured values.</summary>
    public static LogRecord[] LogRecords(int count)
    {
        var records = new LogRecord[count];
        for (var i = 0; i < count; i++)
        {
            records[i] = new LogRecord
            {
                Timestamp = new DateTimeOffset(2026, 1, 5, 12, 0, 0, TimeSpan.Zero).AddMilliseconds(i),
                Level = LogLevel.Information,
                Category = "Orders.OrderService",
                Message = $"Order {i} shipped to Berlin",
                TraceId = ActivityTraceId.CreateRandom(),
                SpanId = ActivitySpanId.CreateRandom(),
                Attributes = [new("OrderId", i), new("City", "Berlin")],
            };
        }

        return records;
    }
}
