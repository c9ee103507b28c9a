namespace Panopticon.Sdk.Engine;

/// <summary>
/// Lock-free running totals for one signal. Every accepted record ends as exactly one of
/// sent, failed or dropped, so <see cref="Pending"/> is what is still on its way.
/// </summary>
/// <remarks>
/// The signal's queue counts its own writes (<see cref="OnQueued"/>) and evictions (<see cref="OnEvicted"/>) here and
/// derives its length from them, so an enqueue pays one shared increment instead of separate accepted and length ones.
/// </remarks>
internal sealed class SignalCounters
{
    private readonly long[] _dropped = new long[DropReasonNames.All.Length];
    private long _queued;
    private long _evicted;
    private long _acceptedDirectly;
    private long _sent;
    private long _failed;
    private long _retried;
    private long _batches;
    private long _bytes;
    private long _lastSuccessTicks;
    private long _lastFailure; // (UTC ticks << 3) | failure kind, so time and kind are read together

    public long Accepted => Volatile.Read(ref _queued) + Volatile.Read(ref _acceptedDirectly);

    public long Sent => Volatile.Read(ref _sent);

    public long Failed => Volatile.Read(ref _failed);

    public long Retried => Volatile.Read(ref _retried);

    public long Batches => Volatile.Read(ref _batches);

    public long Bytes => Volatile.Read(ref _bytes);

    public DateTimeOffset? LastSuccessAt => Volatile.Read(ref _lastSuccessTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public (DateTimeOffset At, PanopticonFailureKind Kind)? LastFailure =>
        Volatile.Read(ref _lastFailure) is var packed and > 0
            ? (new DateTimeOffset(packed >> 3, TimeSpan.Zero), (PanopticonFailureKind)(packed & 7))
            : null;

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

    /// <summary>Records offered to the queue so far (accepted ones; the queue's writes).</summary>
    internal long Queued => Volatile.Read(ref _queued);

    /// <summary>Records the queue dropped because it was full (<see cref="DropReason.QueueFull"/>).</summary>
    internal long Evicted => Volatile.Read(ref _evicted);

    public long DroppedFor(DropReason reason) =>
        Volatile.Read(ref _dropped[(int)reason]) + (reason == DropReason.QueueFull ? Evicted : 0);

    /// <summary>Counts records accepted without going through the queue (the drop report; lines kept before the client existed).</summary>
    public void OnAccepted(long count = 1) => Interlocked.Add(ref _acceptedDirectly, count);

    /// <summary>Counts a record accepted by the queue; returns the total, from which the queue works out its length.</summary>
    internal long OnQueued() => Interlocked.Increment(ref _queued);

    /// <summary>Counts a queued (or just offered) record the full queue dropped; returns the total.</summary>
    internal long OnEvicted() => Interlocked.Increment(ref _evicted);

    public void OnDropped(DropReason reason, long count = 1) => Interlocked.Add(ref _dropped[(int)reason], count);

    public void OnFailed(long count) => Interlocked.Add(ref _failed, count);

    public void OnRetried() => Interlocked.Increment(ref _retried);

    public void OnSuccess(DateTimeOffset at) => Volatile.Write(ref _lastSuccessTicks, at.UtcTicks);

    public void OnFailure(PanopticonFailureKind kind, DateTimeOffset at) => Volatile.Write(ref _lastFailure, (at.UtcTicks << 3) | (long)kind);

    public void OnSent(long records, long bytes)
    {
        Interlocked.Add(ref _sent, records);
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _bytes, bytes);
    }
}
