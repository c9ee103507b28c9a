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
    private int _count;
    private volatile bool _closed;

    // release is called for a record the queue drops, so pooled records go back to their pool.
    public SignalQueue(int capacity, PanopticonOverflowPolicy policy, SignalCounters counters, Action<T>? release = null)
    {
        _capacity = capacity;
        _dropNewest = policy == PanopticonOverflowPolicy.DropNewest;
        _counters = counters;
        _release = release;
    }

    public int Count => Volatile.Read(ref _count);

    /// <summary>Offers a record; never blocks, never throws. Returns <see langword="false"/> once the queue is closed.</summary>
    public bool TryEnqueue(T item)
    {
        _counters.OnAccepted();
        if (_closed)
        {
            Drop(item, DropReason.Shutdown);
            return false;
        }

        var count = Interlocked.Increment(ref _count);
        if (count > _capacity)
        {
            if (_dropNewest)
            {
                Interlocked.Decrement(ref _count);
                Drop(item, DropReason.QueueFull);
                return true;
            }

            if (_items.TryDequeue(out var oldest))
            {
                count = Interlocked.Decrement(ref _count);
                Drop(oldest, DropReason.QueueFull);
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
            Interlocked.Decrement(ref _count);
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

    private void Drop(T item, DropReason reason)
    {
        _counters.OnDropped(reason);
        _release?.Invoke(item);
    }
}
