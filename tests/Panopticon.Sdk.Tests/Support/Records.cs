using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Panopticon.Sdk.Engine;

namespace Panopticon.Sdk.Tests.Support;

internal static class Records
{
    public static readonly DateTimeOffset Noon = new(2026, 11, 23, 12, 0, 0, 123, TimeSpan.Zero);

    public static LogRecord Log(string message = "hello", LogLevel level = LogLevel.Information, IReadOnlyList<KeyValuePair<string, object?>>? attributes = null, Exception? exception = null, Activity? activity = null) => new()
    {
        Timestamp = Noon,
        Level = level,
        Category = "Tests.Category",
        Message = message,
        Exception = exception,
        Attributes = attributes,
        TraceId = activity?.TraceId ?? default,
        SpanId = activity?.SpanId ?? default,
    };

    private static readonly ActivitySource Source = new("Panopticon.Sdk.Tests");
    private static readonly ActivityListener Listener = CreateListener();

    public static Activity EndedSpan(string name = "work", ActivityKind kind = ActivityKind.Internal, Activity? parent = null, params (string Key, object? Value)[] tags)
    {
        GC.KeepAlive(Listener);
        var parentContext = parent is null ? default : new ActivityContext(parent.TraceId, parent.SpanId, ActivityTraceFlags.Recorded);
        var activity = Source.CreateActivity(name, kind, parentContext, idFormat: ActivityIdFormat.W3C)!;
        foreach (var (key, value) in tags)
        {
            activity.SetTag(key, value);
        }

        activity.SetStartTime(Noon.UtcDateTime);
        activity.Start();
        activity.SetEndTime(Noon.UtcDateTime.AddMilliseconds(42.5));
        activity.Stop();
        return activity;
    }

    private static ActivityListener CreateListener()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Panopticon.Sdk.Tests",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    public static PanopticonClient Client(string endpoint, TimeProvider? time = null, Action<PanopticonOptions>? configure = null) =>
        PanopticonClient.Create(
            o =>
            {
                o.ApiKey = "test-key-123";
                o.Endpoint = endpoint;
                o.ServiceName = "order-service";
                o.Environment = "test";
                configure?.Invoke(o);
            },
            transport: null,
            time);
}
