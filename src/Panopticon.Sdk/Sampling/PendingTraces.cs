namespace Panopticon.Sdk.Sampling;

/// <summary>
/// The traces held while they are not sampled, oldest first, bounded by <see cref="PanopticonOptions.MaxPendingTraces"/>
/// traces and by a number of held records: past either bound the oldest is handed to <c>evict</c>. Adding and removing
/// take one short lock per trace; holding a record only counts it.
/// </summary>
internal sealed class PendingTraces(int maxTraces, long maxRecords, Action<LocalTrace> evict)
{
    private readonly object _gate = new();
    private LocalTrace? _oldest;
    private LocalTrace? _newest;
    private int _count;
    private long _records;

    /// <summary>Traces held now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Records held now.</summary>
    public long Records => Interlocked.Read(ref _records);

    public void Add(LocalTrace trace)
    {
        LocalTrace? evicted = null;
        lock (_gate)
        {
            trace.Older = _newest;
            trace.Newer = null;
            trace.IsPending = true;
            if (_newest is not null)
            {
                _newest.Newer = trace;
            }

            _newest = trace;
            _oldest ??= trace;
            _count++;
            if (_count > maxTraces)
            {
                evicted = RemoveOldest();
            }
        }

        if (evicted is not null)
        {
            evict(evicted);
        }
    }

    /// <summary>Takes the trace out when it is decided; <see langword="false"/> if it was no longer here (evicted).</summary>
    public bool Remove(LocalTrace trace)
    {
        lock (_gate)
        {
            if (!trace.IsPending)
            {
                return false;
            }

            Unlink(trace);
            return true;
        }
    }

    /// <summary>Counts one more held record; evicts the oldest trace while too many are held.</summary>
    public void OnHeld()
    {
        if (Interlocked.Increment(ref _records) <= maxRecords)
        {
            return;
        }

        // An evicted trace's records are released (OnReleased) when evict drops them, this one's too if it was the oldest.
        while (Records > maxRecords)
        {
            LocalTrace? evicted;
            lock (_gate)
            {
                evicted = RemoveOldest();
            }

            if (evicted is null)
            {
                return;
            }

            evict(evicted);
        }
    }

    /// <summary>Counts records no longer held (sent or dropped with their trace).</summary>
    public void OnReleased(int records) => Interlocked.Add(ref _records, -records);

    /// <summary>Takes every trace out (shutdown), oldest first.</summary>
    public List<LocalTrace> RemoveAll()
    {
        var all = new List<LocalTrace>();
        lock (_gate)
        {
            while (RemoveOldest() is { } trace)
            {
                all.Add(trace);
            }
        }

        return all;
    }

    private LocalTrace? RemoveOldest()
    {
        var oldest = _oldest;
        if (oldest is not null)
        {
            Unlink(oldest);
        }

        return oldest;
    }

    private void Unlink(LocalTrace trace)
    {
        if (trace.Older is null)
        {
            _oldest = trace.Newer;
        }
        else
        {
            trace.Older.Newer = trace.Newer;
        }

        if (trace.Newer is null)
        {
            _newest = trace.Older;
        }
        else
        {
            trace.Newer.Older = trace.Older;
        }

        trace.Older = trace.Newer = null;
        trace.IsPending = false;
        _count--;
    }
}
