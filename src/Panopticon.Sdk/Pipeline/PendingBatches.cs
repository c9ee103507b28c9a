using System.Buffers;
using System.Runtime.InteropServices;
using Panopticon.Sdk.Storage;

namespace Panopticon.Sdk.Pipeline;

/// <summary>
/// The batches this process serialized that have no final outcome yet, so a flush can wait for exactly those. Also
/// gives a settled batch's pooled JSON buffer back. Thread-safe: the batch loop adds, the senders settle.
/// </summary>
/// <remarks>
/// Every batch added here must settle once: the sender settles what it completes, the batch loop what it could not
/// store, the pipeline what a memory store still holds at stop. A store that drops a batch by itself (a disk store
/// over its cap) must have it settled too, or a flush waits for it until its token ends.
/// </remarks>
internal sealed class PendingBatches
{
    private readonly object _gate = new();
    private readonly Dictionary<Guid, (SerializedBatch? Batch, TaskCompletionSource Settled)> _batches = []; // Batch: null once its buffer went back
    private TaskCompletionSource _nextSettle = NewSignal();

    public void Add(SerializedBatch batch)
    {
        lock (_gate)
        {
            _batches[batch.Id] = (batch, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }
    }

    /// <summary>
    /// The batch has its final outcome (and the store has forgotten it). A batch from an earlier process is not
    /// pending here and is left alone.
    /// </summary>
    public void Settle(SerializedBatch batch) => Settle(batch.Id, batch);

    /// <summary>A batch the store dropped without handing it to the senders (a disk store's caps): it is settled too.</summary>
    public void Settle(Guid id) => Settle(id, settled: null);

    /// <summary>
    /// A durable store has the batch (on disk): its pooled JSON buffer goes back now instead of at settle, so batches
    /// waiting on disk hold no memory here.
    /// </summary>
    public void Stored(SerializedBatch batch)
    {
        lock (_gate)
        {
            if (!_batches.TryGetValue(batch.Id, out var entry) || !ReferenceEquals(entry.Batch, batch))
            {
                return;
            }

            _batches[batch.Id] = (null, entry.Settled);
        }

        ReturnBuffer(batch);
    }

    private void Settle(Guid id, SerializedBatch? settled)
    {
        (SerializedBatch? Batch, TaskCompletionSource Settled) entry;
        TaskCompletionSource settle;
        lock (_gate)
        {
            settle = _nextSettle;
            _nextSettle = NewSignal();
            if (!_batches.Remove(id, out entry))
            {
                settle.TrySetResult();
                return;
            }
        }

        // The buffer goes back only if it is the very batch serialized here: nobody else can still be reading it.
        if (entry.Batch is not null && ReferenceEquals(entry.Batch, settled))
        {
            ReturnBuffer(entry.Batch);
        }

        entry.Settled.TrySetResult();
        settle.TrySetResult();
    }

    private static void ReturnBuffer(SerializedBatch batch)
    {
        if (MemoryMarshal.TryGetArray(batch.Json, out var segment) && segment.Array is { Length: > 0 } array)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }

    /// <summary>Completes when the next batch settles (take it before looking at the store, so no settle is missed).</summary>
    public Task NextSettleAsync()
    {
        lock (_gate)
        {
            return _nextSettle.Task;
        }
    }

    /// <summary>Completes when every batch pending now has settled.</summary>
    public Task WhenSettledAsync()
    {
        lock (_gate)
        {
            return _batches.Count == 0 ? Task.CompletedTask : Task.WhenAll(_batches.Values.Select(b => b.Settled.Task));
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
