using System.Collections.Concurrent;

namespace Panopticon.Sdk.Engine;

/// <summary>
/// The bounded, non-blocking queue between the application's threads and the export loop of one signal.
/// A full queue drops by policy and counts the drop; a closed queue drops and counts everything offered.
/// </summary>
/// <remarks>
/// Writers wake the export loop only when the count reaches the threshold the loop asked for (the first record
/// of a batch, or enough to fill it), never once per record: waking a thread costs microseconds, a write must
/// cost nanoseconds.
/// </remarks>
internal sealed class SignalQueue<T>
    where T : class
{
    private readonly ConcurrentQueue<T> _items = new();
    private readonly int _capacity;
    private readonly bool _dropNewest;
    private readonly SignalCounters _counters;
    private readonly Action<T>? _release;
    private TaskCompletionSource? _waiter;
    private int _wakeAt = 1;
    private long _dequeued;
    private volatile bool _closed;

    // release is called for a record the queue drops, so pooled records go back to their pool.
    public SignalQueue(int capacity, PanopticonOverflowPolicy policy, SignalCounters counters, Action<T>? release = null)
    {
        _capacity = capacity;
        _dropNewest = policy == PanopticonOverflowPolicy.DropNewest;
        _counters = counters;
        _release = release;
    }

    /// <summary>Records waiting: accepted writes minus reads and evictions (the counters are the queue's length).</summary>
    public int Count => (int)Math.Max(0, _counters.Queued - Volatile.Read(ref _dequeued) - _counters.Evicted);

    /// <summary>Offers a record; never blocks, never throws. Returns <see langword="false"/> once the queue is closed.</summary>
    public bool TryEnqueue(T item)
    {
        if (_closed)
        {
            _counters.OnAccepted();
            _counters.OnDropped(DropReason.Shutdown);
            _release?.Invoke(item);
            return false;
        }

        // One shared increment counts the record as accepted and gives the length including it.
        var count = _counters.OnQueued() - Volatile.Read(ref _dequeued) - _counters.Evicted;
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

        _items.Enqueue(item);

        // The increment above is a full fence, so either this read sees the loop's waiter or the loop sees the count.
        if (count >= Volatile.Read(ref _wakeAt) && Volatile.Read(ref _waiter) is not null)
        {
            Interlocked.Exchange(ref _waiter, null)?.TrySetResult();
        }

        return true;
    }

    public bool TryDequeue(out T item)
    {
        if (_items.TryDequeue(out item!))
        {
            Interlocked.Increment(ref _dequeued);
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

    private void Evict(T item)
    {
        _counters.OnEvicted();
        _release?.Invoke(item);
    }
}
