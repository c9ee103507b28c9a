using System.Collections.Concurrent;

namespace Panopticon.Sdk.Engine;

/// <summary>
/// Reuses log records: rented on the logging thread, returned by the engine once exported or dropped. Holds at most
/// what was alive at once (queue + batch + calls in flight), so it never grows past the queue's bound.
/// </summary>
/// <remarks>
/// Each thread keeps one returned record aside and rents it first: a thread that drops the oldest record of a full
/// queue and logs again reuses it without touching the shared queue (a read of a thread-local instead of two
/// interlocked operations). A record is in exactly one place at a time: rented, a thread's spare, or the shared queue.
/// </remarks>
internal sealed class LogRecordPool
{
    private readonly ConcurrentQueue<LogRecord> _free = new();
    private readonly ThreadLocal<LogRecord?> _spare = new();

    public LogRecord Rent()
    {
        var spare = _spare.Value;
        if (spare is not null)
        {
            _spare.Value = null;
            return spare;
        }

        return _free.TryDequeue(out var record) ? record : new LogRecord(pooled: true);
    }

    /// <summary>Takes back a rented record; records created elsewhere (tests, the drop report) are left alone.</summary>
    public void Return(LogRecord record)
    {
        if (!record.IsPooled)
        {
            return;
        }

        record.Reset();
        if (_spare.Value is null)
        {
            _spare.Value = record;
        }
        else
        {
            _free.Enqueue(record);
        }
    }
}
