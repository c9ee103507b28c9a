namespace Panopticon.Sdk.Storage;

/// <summary>
/// What a store remembers of a batch it holds: its file (or, when the disk failed, the batch itself in memory), its
/// size and record count. The JSON of a stored batch is not kept in memory: it is read back from the file when sent.
/// </summary>
internal sealed class StoredBatch(BatchFileName name, long bytes, int records, SerializedBatch? inMemory)
{
    private static long s_order;

    /// <summary>Order of arrival in this process: batches created in the same clock tick keep the order they were added in.</summary>
    public long Arrival { get; } = Interlocked.Increment(ref s_order);

    public BatchFileName Name { get; } = name;

    public long Bytes { get; } = bytes;

    public int Records { get; } = records;

    /// <summary>The batch itself when it could not be written to disk; <see langword="null"/> for a file.</summary>
    public SerializedBatch? InMemory { get; } = inMemory;

    /// <summary>A copy of a file's batch kept while the sender keeps up, so it is sent without reading the file back.</summary>
    public SerializedBatch? Cached { get; set; }

    public DateTimeOffset CreatedAt => new(Name.CreatedTicks, TimeSpan.Zero);

    /// <summary>Oldest first; the order of arrival breaks ties.</summary>
    public static readonly IComparer<StoredBatch> Oldest = Comparer<StoredBatch>.Create(static (a, b) =>
    {
        var byTime = a.Name.CreatedTicks.CompareTo(b.Name.CreatedTicks);
        return byTime != 0 ? byTime : a.Arrival.CompareTo(b.Arrival);
    });
}
