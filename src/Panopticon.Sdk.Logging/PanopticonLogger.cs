using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Panopticon.Sdk.Diagnostics;
using Panopticon.Sdk.Engine;
using Panopticon.Sdk.Tracing;

namespace Panopticon.Sdk.Logging;

/// <summary>
/// Captures one log line on the caller's thread: ids of <see cref="Activity.Current"/>, the current server request,
/// the message (or the state to format it from later), structured and scope values. Serialisation happens later,
/// on the export thread. The record comes from the engine's pool: a log call allocates nothing of its own.
/// </summary>
internal sealed class PanopticonLogger(string category, PanopticonLoggerProvider provider, LogLevel minimumLevel) : ILogger
{
    // LogLevel.None (6) as minimum disables every level: one comparison on the hot path.
    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimumLevel && logLevel < LogLevel.None;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => PerRequestScope<TState>.RepeatsTheRecord(state) ? null : provider.Scopes.Push(state);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel) || provider.Client is not { } client)
        {
            return;
        }

        LogRecord? record = null; // ours until handed to the engine
        try
        {
            var activity = Activity.Current;
            record = client.RentLogRecord();
            record.Timestamp = provider.Time.GetUtcNow();
            record.Level = logLevel;
            record.Category = category;

            // A rented record is reset: fields that stay empty are left alone (each reference store costs a GC barrier).
            if (exception is not null)
            {
                record.Exception = exception;
            }

            if (activity is not null)
            {
                record.TraceId = activity.TraceId;
                record.SpanId = activity.SpanId;
                var request = ServerRequest.Find(activity);
                if (request.Method is not null || request.Path is not null)
                {
                    record.HttpMethod = request.Method;
                    record.HttpPath = request.Path;
                }
            }

            LogState.Capture(record, state, exception, formatter);
            if (activity is not null && (provider.ActivityTags || provider.ActivityBaggage))
            {
                CopyActivityContext(activity, record.Values);
            }

            provider.Scopes.CopyTo(record);
            var captured = record;
            record = null;
            client.Sampling?.OnLog(captured, activity); // sent now, or held with its trace while that is not sampled
        }
        catch (Exception failure)
        {
            // A throwing formatter, ToString or scope enumerator costs this one line, never the caller; it is counted.
            if (record is not null)
            {
                client.DropUncapturedLog(record);
            }

            PanopticonEventSource.Log.InternalError(nameof(PanopticonLogger), failure.GetType().FullName ?? nameof(Exception));
        }
    }

    private void CopyActivityContext(Activity activity, List<KeyValuePair<string, object?>> values)
    {
        if (provider.ActivityTags)
        {
            LogAttributes.AddScope(activity.TagObjects, values);
        }

        if (provider.ActivityBaggage)
        {
            LogAttributes.AddScope(activity.Baggage, values);
        }
    }
}
