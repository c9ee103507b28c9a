using System.Collections.Concurrent;

namespace Panopticon.Sdk.Engine;

/// <summary>
/// Reuses log records: rented on the logging thread, returned by the engine once exported or dropped. Holds at most
/// what was alive at once (queue + batch + calls in flight), so it never grows past the queue's bound.
/// </summary>
internal sealed class LogRecordPool
{
    private readonly ConcurrentQueue<LogRecord> _free = new();

    public LogRecord Rent() => _free.TryDequeue(out var record) ? record : new LogRecord(pooled: true);

    /// <summary>Takes back a rented record; records created elsewhere (tests, the drop report) are left alone.</summary>
    public void Return(LogRecord record)
    {
        if (record.IsPooled)
        {
            record.Reset();
            _free.Enqueue(record);
        }
    }
}
