namespace Panopticon.Sdk.Storage;

/// <summary>
/// Where serialized batches of one signal wait between the batch loop and the sender loop. In memory by default
/// (bounded, so an outage pushes back on the queue, which drops its oldest records); on disk with
/// <c>BufferDirectory</c>, where a batch is written before its first send attempt and survives the process.
/// Implementations never throw for I/O: a store that cannot write keeps the batch in memory and reports it.
/// </summary>
internal interface IBatchStore : IDisposable
{
    /// <summary>
    /// Takes a newly serialized batch. A memory store waits while it is full; a disk store never waits: it drops its
    /// oldest batches to stay under its cap (counted as <c>buffer_full</c>).
    /// </summary>
    ValueTask AddAsync(SerializedBatch batch, CancellationToken cancellationToken);

    /// <summary>
    /// The oldest batch that no one else is sending (leftovers of an earlier process first), leased to the caller
    /// until <see cref="Complete"/>; waits until there is one.
    /// </summary>
    ValueTask<SerializedBatch> TakeAsync(CancellationToken cancellationToken);

    /// <summary>The batch has its final outcome (accepted, rejected for good, or dropped): the store forgets it.</summary>
    void Complete(SerializedBatch batch);

    /// <summary>
    /// Whether batches outlive the process. At shutdown the pipeline counts what a memory store still holds as dropped
    /// (<c>shutdown</c>) but leaves a durable store's batches for the next start.
    /// </summary>
    bool IsDurable { get; }

    /// <summary>Batches held, including leased ones.</summary>
    int Count { get; }

    /// <summary>Bytes of the batches held, including leased ones.</summary>
    long Bytes { get; }
}
