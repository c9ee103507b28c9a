using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Panopticon.Sdk.Diagnostics;
using Panopticon.Sdk.Engine;
using Panopticon.Sdk.Tracing;
using Serilog.Events;

namespace Panopticon.Sdk.Serilog;

/// <summary>
/// Turns one Serilog event into a log record of the engine, the record the logging integration writes for an
/// <c>ILogger</c> line: level, rendered message, trace and span ids, the current server request's method and path,
/// the exception, and the properties as labels.
/// </summary>
internal sealed class SerilogRecordWriter(PanopticonClient client)
{
    private readonly MessageRenderer _messages = new();

    public PanopticonClient Client => client;

    /// <summary>Writes <paramref name="logEvent"/>; <paramref name="live"/> when it is being emitted now, on the thread that logged it.</summary>
    public void Write(LogEvent logEvent, bool live)
    {
        var category = logEvent.Properties.TryGetValue(EventProperties.SourceContext, out var context) && context is ScalarValue { Value: string name }
            ? name
            : string.Empty;
        if (category.StartsWith(DropReporter.Category, StringComparison.Ordinal))
        {
            return; // the SDK's own lines would feed themselves
        }

        try
        {
            var record = client.RentLogRecord();
            record.Timestamp = logEvent.Timestamp;
            record.Level = LevelOf(logEvent.Level);
            record.Category = category;
            record.Message = _messages.Render(logEvent);
            if (logEvent.Exception is { } exception)
            {
                record.Exception = exception;
            }

            var activity = live ? Activity.Current : null;
            AddTraceContext(record, logEvent, activity);
            EventProperties.CopyTo(logEvent.Properties, record.Values);

            // Sent now, or held with its trace while that is not sampled (known only for an event of the current trace).
            client.Sampling?.OnLog(record, activity is not null && activity.TraceId == record.TraceId ? activity : null);
        }
        catch (Exception failure)
        {
            // A throwing ToString or format provider costs this one event, never the caller.
            PanopticonEventSource.Log.InternalError(nameof(SerilogRecordWriter), failure.GetType().FullName ?? nameof(Exception));
        }
    }

    /// <summary>The Producer's four levels: Verbose and Debug are DEBUG; Fatal is ERROR with the label <c>severity</c>.</summary>
    internal static LogLevel LevelOf(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose => LogLevel.Trace,
        LogEventLevel.Debug => LogLevel.Debug,
        LogEventLevel.Information => LogLevel.Information,
        LogEventLevel.Warning => LogLevel.Warning,
        LogEventLevel.Error => LogLevel.Error,
        _ => LogLevel.Critical,
    };

    /// <summary>
    /// The ids Serilog captured when the event was written (from <see cref="Activity.Current"/>, on the logging
    /// thread); the current server request only when <paramref name="activity"/> is that same trace, as it is unless
    /// the event crossed threads (an async wrapper) before reaching the sink.
    /// </summary>
    private static void AddTraceContext(LogRecord record, LogEvent logEvent, Activity? activity)
    {
        if (logEvent.TraceId is { } traceId && traceId != default)
        {
            record.TraceId = traceId;
            record.SpanId = logEvent.SpanId ?? default;
        }
        else if (activity is not null)
        {
            record.TraceId = activity.TraceId;
            record.SpanId = activity.SpanId;
        }

        if (activity is not null && activity.TraceId == record.TraceId)
        {
            var request = ServerRequest.Find(activity);
            if (request.Method is not null || request.Path is not null)
            {
                record.HttpMethod = request.Method;
                record.HttpPath = request.Path;
            }
        }
    }
}
