using System.Collections.Concurrent;

namespace Panopticon.Sdk.Pipeline;

/// <summary>The counts a record queue keeps of itself; the signal's statistics read them from here.</summary>
internal interface IQueueCounts
{
    /// <summary>Records offered (each one accepted: it ends sent, failed or dropped).</summary>
    long Offered { get; }

    /// <summary>Records dropped because the queue was full.</summary>
    long Evicted { get; }

    /// <summary>Records dropped because the queue was closed (offered after stop, or left behind by it).</summary>
    long Discarded { get; }
}

/// <summary>
/// The bounded, non-blocking queue between the application's threads and the batch loop of one signal. It alone
/// counts what goes in and out, and its length is those counts: a full queue drops by policy and counts the drop; a
/// closed queue drops and counts everything offered.
/// </summary>
/// <remarks>
/// Writers wake the batch loop only when the length reaches the threshold the loop asked for (the first record of a
/// batch, or enough to fill it), never once per record: waking a thread costs microseconds, a write must cost
/// nanoseconds. (A <c>System.Threading.Channels</c> bounded channel wakes a waiting reader on every write and takes a
/// lock per write; this queue pays one interlocked increment.)
/// </remarks>
internal sealed class RecordQueue<T> : IQueueCounts
    where T : class
{
    private readonly ConcurrentQueue<T> _items = new();
    private readonly int _capacity;
    private readonly bool _dropNewest;
    private readonly Action<T>? _release;
    private long _offered;    // writers
    private long _evicted;    // writers (the one that finds the queue full)
    private long _discarded;  // writers after close; the batch loop when it seals the queue
    private long _replaced;   // writers that found the queue full under DropOldest: each is one offer and one eviction
    private long _taken;      // the batch loop
    private TaskCompletionSource? _waiter; // the batch loop sets it, the writer that reaches _wakeAt completes it
    private int _wakeAt = 1;
    private volatile bool _closed;
    private volatile bool _sealed;

    // release is called for each record the queue drops, so pooled records go back to their pool.
    public RecordQueue(int capacity, PanopticonOverflowPolicy policy, Action<T>? release = null)
    {
        _capacity = capacity;
        _dropNewest = policy == PanopticonOverflowPolicy.DropNewest;
        _release = release;
    }

    public long Offered => Volatile.Read(ref _offered) + Volatile.Read(ref _replaced);

    public long Evicted => Volatile.Read(ref _evicted) + Volatile.Read(ref _replaced);

    public long Discarded => Volatile.Read(ref _discarded);

    /// <summary>Records waiting to be read (a replacement adds to the offers and the evictions alike: it never changes the length).</summary>
    public int Count => (int)Math.Max(0, Length);

    private long Length => Volatile.Read(ref _offered) - Volatile.Read(ref _taken) - Volatile.Read(ref _evicted) - Discarded;

    /// <summary>Offers a record; never blocks, never throws. Returns <see langword="false"/> once the queue is closed.</summary>
    public bool TryEnqueue(T item)
    {
        if (_closed)
        {
            Interlocked.Increment(ref _offered);
            Discard(item);
            return false;
        }

        // A full queue under DropOldest (every write during an outage): the record takes the oldest one's place, and
        // one shared increment counts both the offer and the eviction.
        if (!_dropNewest && Length >= _capacity && _items.TryDequeue(out var replaced))
        {
            Interlocked.Increment(ref _replaced);
            _release?.Invoke(replaced);
            return Append(item, _capacity);
        }

        // One shared increment counts the record and gives the length including it.
        var count = Interlocked.Increment(ref _offered) - Volatile.Read(ref _taken) - Volatile.Read(ref _evicted) - Discarded;
        if (count > _capacity)
        {
            if (_dropNewest)
            {
                Evict(item);
                return true;
            }

            if (_items.TryDequeue(out var oldest))
            {
                Evict(oldest);
                count--;
            }
        }

        return Append(item, count);
    }

    public bool TryDequeue(out T item)
    {
        if (_items.TryDequeue(out item!))
        {
            Interlocked.Increment(ref _taken);
            return true;
        }

        return false;
    }

    /// <summary>Completes once at least <paramref name="threshold"/> records are queued (at once if they already are).</summary>
    public Task WaitForCountAsync(int threshold)
    {
        Volatile.Write(ref _wakeAt, Math.Max(threshold, 1));
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _waiter, waiter); // full fence before reading the count
        if (Count >= threshold)
        {
            Interlocked.CompareExchange(ref _waiter, null, waiter);
            return Task.CompletedTask;
        }

        return waiter.Task;
    }

    /// <summary>Refuses new records; those already queued stay readable.</summary>
    public void Close() => _closed = true;

    /// <summary>
    /// The reader's last call: refuses new records and drops (and counts) what is still queued, including a record
    /// whose writer got past <see cref="Close"/> just before it.
    /// </summary>
    /// <returns>The number of records dropped.</returns>
    public long Seal()
    {
        _closed = true;
        _sealed = true;
        Interlocked.MemoryBarrier(); // the seal is visible before the drain reads the queue
        return DiscardAll();
    }

    // count: the length including item.
    private bool Append(T item, long count)
    {
        _items.Enqueue(item); // a full fence: either the sealing loop sees the record, or this thread sees the seal
        if (_sealed)
        {
            DiscardAll(); // the loop already drained the queue for the last time: nobody else will read this record
            return false;
        }

        if (Volatile.Read(ref _waiter) is not null && count >= Volatile.Read(ref _wakeAt))
        {
            Interlocked.Exchange(ref _waiter, null)?.TrySetResult();
        }

        return true;
    }

    private long DiscardAll()
    {
        long discarded = 0;
        while (_items.TryDequeue(out var item))
        {
            Discard(item);
            discarded++;
        }

        return discarded;
    }

    private void Evict(T item)
    {
        Interlocked.Increment(ref _evicted);
        _release?.Invoke(item);
    }

    private void Discard(T item)
    {
        Interlocked.Increment(ref _discarded);
        _release?.Invoke(item);
    }
}
