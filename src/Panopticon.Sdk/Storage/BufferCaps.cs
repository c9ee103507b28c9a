namespace Panopticon.Sdk.Storage;

/// <summary>
/// The limits of a disk buffer: <c>MaxBufferBytes</c> of batch files per signal and <c>BufferRetention</c> per batch.
/// Beyond either, the oldest batches go (counted as <c>buffer_full</c> or <c>expired</c>).
/// </summary>
internal sealed record BufferCaps(long MaxBytes, TimeSpan Retention)
{
    public bool IsExpired(StoredBatch batch, DateTimeOffset now) => now - batch.CreatedAt > Retention;

    /// <summary>Whether <paramref name="adding"/> more bytes keep the total within the cap.</summary>
    public bool Fits(long held, long adding) => held + adding <= MaxBytes;
}
