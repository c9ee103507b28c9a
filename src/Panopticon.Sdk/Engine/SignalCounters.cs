namespace Panopticon.Sdk.Engine;

/// <summary>
/// Lock-free running totals for one signal. Every accepted record ends as exactly one of
/// sent, failed or dropped, so <see cref="Pending"/> is what is still on its way.
/// </summary>
internal sealed class SignalCounters
{
    private readonly long[] _dropped = new long[DropReasonNames.All.Length];
    private long _accepted;
    private long _sent;
    private long _failed;
    private long _retried;
    private long _batches;
    private long _bytes;

    public long Accepted => Volatile.Read(ref _accepted);

    public long Sent => Volatile.Read(ref _sent);

    public long Failed => Volatile.Read(ref _failed);

    public long Retried => Volatile.Read(ref _retried);

    public long Batches => Volatile.Read(ref _batches);

    public long Bytes => Volatile.Read(ref _bytes);

    public long Dropped
    {
        get
        {
            long total = 0;
            foreach (var reason in DropReasonNames.All)
            {
                total += DroppedFor(reason);
            }

            return total;
        }
    }

    public long Pending => Accepted - Sent - Failed - Dropped;

    public long DroppedFor(DropReason reason) => Volatile.Read(ref _dropped[(int)reason]);

    public void OnAccepted() => Interlocked.Increment(ref _accepted);

    public void OnDropped(DropReason reason, long count = 1) => Interlocked.Add(ref _dropped[(int)reason], count);

    public void OnFailed(long count) => Interlocked.Add(ref _failed, count);

    public void OnRetried() => Interlocked.Increment(ref _retried);

    public void OnSent(long records, long bytes)
    {
        Interlocked.Add(ref _sent, records);
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _bytes, bytes);
    }
}
