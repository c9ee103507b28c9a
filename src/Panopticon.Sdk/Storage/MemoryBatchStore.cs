namespace Panopticon.Sdk.Storage;

/// <summary>
/// Holds a few batches in memory, leased ones included. When it is full, <see cref="AddAsync"/> waits: the batch loop
/// stops reading the queue, records collect there (the next batch carries them all), and in an outage the full queue
/// drops its oldest. So memory stays bounded by the queue plus <c>capacity</c> batches.
/// </summary>
internal sealed class MemoryBatchStore : IBatchStore
{
    private readonly object _gate = new();
    private readonly int _capacity;
    private readonly Queue<SerializedBatch> _ready = new();  // added, not leased; oldest first
    private readonly HashSet<SerializedBatch> _held = new(ReferenceEqualityComparer.Instance);
    private TaskCompletionSource? _roomWaiter;  // the adder waiting for room
    private TaskCompletionSource? _batchWaiter; // the taker waiting for a batch
    private long _bytes;

    public MemoryBatchStore(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    public bool IsDurable => false;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _held.Count;
            }
        }
    }

    public long Bytes => Interlocked.Read(ref _bytes);

    public async ValueTask AddAsync(SerializedBatch batch, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task room;
            lock (_gate)
            {
                if (_held.Count < _capacity)
                {
                    _held.Add(batch);
                    _ready.Enqueue(batch);
                    Interlocked.Add(ref _bytes, batch.Json.Length);
                    Release(ref _batchWaiter);
                    return;
                }

                room = (_roomWaiter ??= NewWaiter()).Task;
            }

            await room.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask<SerializedBatch> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task arrived;
            lock (_gate)
            {
                if (_ready.TryDequeue(out var batch))
                {
                    return batch;
                }

                arrived = (_batchWaiter ??= NewWaiter()).Task;
            }

            await arrived.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Complete(SerializedBatch batch)
    {
        lock (_gate)
        {
            if (_held.Remove(batch))
            {
                Interlocked.Add(ref _bytes, -batch.Json.Length);
                Release(ref _roomWaiter);
            }
        }
    }

    public void Dispose()
    {
    }

    private static void Release(ref TaskCompletionSource? waiter)
    {
        waiter?.TrySetResult();
        waiter = null;
    }

    private static TaskCompletionSource NewWaiter() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
