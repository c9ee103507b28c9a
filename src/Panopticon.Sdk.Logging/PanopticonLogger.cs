using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Panopticon.Sdk.Diagnostics;
using Panopticon.Sdk.Engine;

namespace Panopticon.Sdk.Logging;

/// <summary>
/// Captures one log line on the caller's thread: formatted message, ids of <see cref="Activity.Current"/>,
/// the current server request, structured and scope values. Serialisation happens later, on the export thread.
/// </summary>
internal sealed class PanopticonLogger(string category, PanopticonLoggerProvider provider, LogLevel minimumLevel) : ILogger
{
    // LogLevel.None (6) as minimum disables every level: one comparison on the hot path.
    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimumLevel && logLevel < LogLevel.None;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => provider.ScopeProvider?.Push(state);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel) || provider.Client is not { } client)
        {
            return;
        }

        try
        {
            var activity = Activity.Current;
            var request = activity is null ? default : ServerRequest.Find(activity);
            client.TryWriteLog(new LogRecord
            {
                Timestamp = provider.Time.GetUtcNow(),
                Level = logLevel,
                Category = category,
                Message = formatter?.Invoke(state, exception) ?? state?.ToString() ?? string.Empty,
                Exception = exception,
                TraceId = activity?.TraceId ?? default,
                SpanId = activity?.SpanId ?? default,
                HttpMethod = request.Method,
                HttpPath = request.Path,
                Attributes = LogAttributes.Collect(state, provider.ScopeProvider),
            });
        }
        catch (Exception failure)
        {
            // A throwing formatter, ToString or scope enumerator costs this one line, never the caller.
            PanopticonEventSource.Log.InternalError(nameof(PanopticonLogger), failure.GetType().FullName ?? nameof(Exception));
        }
    }
}
