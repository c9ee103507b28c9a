using Microsoft.Extensions.Logging;

namespace Panopticon.Sdk.Engine;

/// <summary>
/// Makes data loss visible in the dashboard itself: at most once per interval, when records were dropped
/// since the last report, it produces one WARN log record (<c>context</c> = <c>Panopticon.Sdk</c>) with the counts.
/// Called only from the logs export loop.
/// </summary>
internal sealed class DropReporter(SignalCounters logs, SignalCounters spans, TimeProvider time, TimeSpan interval)
{
    public const string Category = "Panopticon.Sdk";
    private readonly long[] _reported = new long[DropReasonNames.All.Length * 2];
    private DateTimeOffset _lastReport = DateTimeOffset.MinValue;

    public LogRecord? TryCreateReport()
    {
        var now = time.GetUtcNow();
        if (now - _lastReport < interval)
        {
            return null;
        }

        var attributes = new List<KeyValuePair<string, object?>>();
        var byReason = new List<string>();
        long droppedLogs = 0, droppedSpans = 0;
        foreach (var reason in DropReasonNames.All)
        {
            if (reason == DropReason.Filtered)
            {
                continue; // the application's own choice, not data loss
            }

            var newLogs = Advance(0, reason, logs);
            var newSpans = Advance(1, reason, spans);
            droppedLogs += newLogs;
            droppedSpans += newSpans;
            if (newLogs + newSpans > 0)
            {
                attributes.Add(new("dropped_" + reason.ToLabel(), newLogs + newSpans));
                byReason.Add($"{reason.ToLabel()}: {newLogs + newSpans}");
            }
        }

        if (droppedLogs + droppedSpans == 0)
        {
            return null;
        }

        _lastReport = now;
        attributes.Add(new("dropped_logs", droppedLogs));
        attributes.Add(new("dropped_spans", droppedSpans));
        logs.OnAccepted();
        return new LogRecord
        {
            Timestamp = now,
            Level = LogLevel.Warning,
            Category = Category,
            Message = $"Panopticon SDK dropped {droppedLogs} logs and {droppedSpans} spans since its last report ({string.Join(", ", byReason)}).",
            Attributes = attributes,
        };
    }

    private long Advance(int signal, DropReason reason, SignalCounters counters)
    {
        var slot = signal * DropReasonNames.All.Length + (int)reason;
        var total = counters.DroppedFor(reason);
        var added = total - _reported[slot];
        _reported[slot] = total;
        return added;
    }
}
