using System.Buffers;
using System.Runtime.InteropServices;
using Panopticon.Sdk.Storage;

namespace Panopticon.Sdk.Pipeline;

/// <summary>
/// The batches this process serialized that have no final outcome yet, so a flush can wait for exactly those. Also
/// gives a settled batch's pooled JSON buffer back. Thread-safe: the batch loop adds, the senders settle.
/// </summary>
internal sealed class PendingBatches
{
    private readonly object _gate = new();
    private readonly Dictionary<Guid, (SerializedBatch Batch, TaskCompletionSource Settled)> _batches = [];
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
    public void Settle(SerializedBatch batch)
    {
        (SerializedBatch Batch, TaskCompletionSource Settled) entry;
        TaskCompletionSource settle;
        lock (_gate)
        {
            settle = _nextSettle;
            _nextSettle = NewSignal();
            if (!_batches.Remove(batch.Id, out entry))
            {
                settle.TrySetResult();
                return;
            }
        }

        // The buffer goes back only if it is the very batch serialized here: nobody else can still be reading it.
        if (ReferenceEquals(entry.Batch, batch) && MemoryMarshal.TryGetArray(batch.Json, out var segment) && segment.Array is { Length: > 0 } array)
        {
            ArrayPool<byte>.Shared.Return(array);
        }

        entry.Settled.TrySetResult();
        settle.TrySetResult();
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
