namespace Panopticon.Sdk.Storage;

/// <summary>
/// The batches a store holds: those waiting, oldest first, and those leased to the sender; with their total bytes.
/// Not thread-safe: the store calls it under its lock.
/// </summary>
internal sealed class BatchIndex
{
    private readonly SortedSet<StoredBatch> _waiting = new(StoredBatch.Oldest);
    private readonly Dictionary<Guid, StoredBatch> _leased = [];

    public int Count => _waiting.Count + _leased.Count;

    public int Waiting => _waiting.Count;

    public long Bytes { get; private set; }

    public int Records { get; private set; }

    public StoredBatch? OldestWaiting => _waiting.Count == 0 ? null : _waiting.Min;

    public void Add(StoredBatch batch)
    {
        if (_waiting.Add(batch))
        {
            Bytes += batch.Bytes;
            Records += batch.Records;
        }
    }

    /// <summary>Moves the oldest waiting batch to the leased ones and returns it.</summary>
    public StoredBatch? LeaseOldest()
    {
        if (_waiting.Count == 0)
        {
            return null;
        }

        var oldest = _waiting.Min!;
        _waiting.Remove(oldest);
        _leased[oldest.Name.BatchId] = oldest;
        return oldest;
    }

    /// <summary>Forgets a waiting batch (dropped) and returns whether it was there.</summary>
    public bool RemoveWaiting(StoredBatch batch)
    {
        if (!_waiting.Remove(batch))
        {
            return false;
        }

        Forget(batch);
        return true;
    }

    /// <summary>Forgets a leased batch and returns it, or <see langword="null"/> if it is not leased.</summary>
    public StoredBatch? RemoveLeased(Guid id)
    {
        if (!_leased.Remove(id, out var batch))
        {
            return null;
        }

        Forget(batch);
        return batch;
    }

    /// <summary>Everything held, waiting and leased.</summary>
    public IEnumerable<StoredBatch> All => _waiting.Concat(_leased.Values);

    private void Forget(StoredBatch batch)
    {
        Bytes -= batch.Bytes;
        Records -= batch.Records;
    }
}
