using Panopticon.Producer.Ingest;

namespace Panopticon.Producer.Storage;

/// <summary>
/// Where validated records live. SQLite is the default; the interface stays small so a server database
/// (or a Kafka forwarder) can sit behind it later.
/// </summary>
internal interface ITelemetryStore
{
    /// <summary>Stores the logs and, when given, the batch id, in one transaction; a seen id stores nothing.</summary>
    Task<BatchOutcome> StoreLogsAsync(string? batchId, IReadOnlyList<LogRecord> logs, CancellationToken cancellationToken);

    /// <summary>Stores the spans and, when given, the batch id, in one transaction; a seen id stores nothing.</summary>
    Task<BatchOutcome> StoreSpansAsync(string? batchId, IReadOnlyList<SpanRecord> spans, CancellationToken cancellationToken);

    /// <summary>Throws when the storage cannot be reached.</summary>
    Task PingAsync(CancellationToken cancellationToken);

    Task<TraceDetail?> GetTraceAsync(string traceId, CancellationToken cancellationToken);

    Task<IReadOnlyList<TraceSummary>> ListTracesAsync(TraceQuery query, CancellationToken cancellationToken);

    Task<LogPage> QueryLogsAsync(LogQuery query, CancellationToken cancellationToken);

    Task<IReadOnlyList<ServerSpanSample>> GetServerSpansAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>Deletes records (and remembered batch ids) older than <paramref name="cutoff"/>; returns how many rows went.</summary>
    Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}
