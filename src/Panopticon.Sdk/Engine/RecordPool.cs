using System.Collections.Concurrent;

namespace Panopticon.Sdk.Engine;

/// <summary>A record the engine reuses once it has been exported or dropped.</summary>
internal interface IPooledRecord
{
    /// <summary>Whether the record came from a pool (records created elsewhere, such as the drop report, never go into one).</summary>
    bool IsPooled { get; }

    /// <summary>Forgets the record's content, and every reference it held, before it is reused.</summary>
    void Reset();
}

/// <summary>
/// Reuses records: rented on the application's thread, returned by the engine once exported or dropped. Holds at most
/// what was alive at once (queue + batches + calls in flight), so it never grows past the queue's bound.
/// </summary>
/// <remarks>
/// Each thread keeps one returned record aside and rents it first: a thread that drops the oldest record of a full
/// queue and writes again reuses it without touching the shared queue. A record is in exactly one place at a time:
/// rented, a thread's spare, or the shared queue. The spare lives in a plain thread-static slot (one per record type
/// and thread, tagged with the pool that owns it), not a <see cref="ThreadLocal{T}"/>: a rent and a return then cost
/// one thread-static read each, where a <see cref="ThreadLocal{T}"/> costs several lookups per access. Tagging by id,
/// not by reference, keeps a disposed client's pool collectable; the slot goes to the pool that returned last.
/// </remarks>
internal sealed class RecordPool<T>(Func<T> create)
    where T : class, IPooledRecord
{
    private static int s_lastId;

    [ThreadStatic]
    private static Spare? t_spare;

    private readonly ConcurrentQueue<T> _free = new();
    private readonly int _id = Interlocked.Increment(ref s_lastId);

    /// <summary>Test hook: sees every record rented and returned, so tests can check each is returned exactly once.</summary>
    internal IRecordPoolObserver<T>? Observer { get; set; }

    public T Rent()
    {
        if (t_spare is { Record: { } spare } slot && slot.Owner == _id)
        {
            slot.Record = null;
            Observer?.OnRented(spare);
            return spare;
        }

        var record = _free.TryDequeue(out var free) ? free : create();
        Observer?.OnRented(record);
        return record;
    }

    /// <summary>Takes back a rented record; records not from a pool are left alone.</summary>
    public void Return(T record)
    {
        if (!record.IsPooled)
        {
            return;
        }

        Observer?.OnReturned(record);
        record.Reset();
        var slot = t_spare ??= new Spare();
        if (slot.Record is null || slot.Owner != _id)
        {
            // Another pool's spare (another client's, perhaps one long gone) makes room for this pool's: it joins
            // this pool's shared queue, where it serves as well as any record of its type.
            if (slot.Record is { } displaced)
            {
                _free.Enqueue(displaced);
            }

            slot.Owner = _id;
            slot.Record = record;
        }
        else
        {
            _free.Enqueue(record);
        }
    }

    // One per thread and record type; the record belongs to the pool whose id is Owner.
    private sealed class Spare
    {
        public int Owner;
        public T? Record;
    }
}

/// <summary>Sees a pool's rents and returns (tests only; null in production, so the pool pays one field read).</summary>
internal interface IRecordPoolObserver<in T>
{
    void OnRented(T record);

    void OnReturned(T record);
}
