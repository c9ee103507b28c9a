using Panopticon.Sdk.Pipeline;

namespace Panopticon.Sdk.Engine;

/// <summary>
/// Lock-free running totals for one signal. Every accepted record ends as exactly one of
/// sent, failed or dropped, so <see cref="Pending"/> is what is still on its way.
/// </summary>
/// <remarks>
/// The signal's queue keeps its own counts (its length is made of them); these totals read them from the queue, so
/// an enqueue pays one shared increment and nothing here can change the queue's back-pressure.
/// </remarks>
internal sealed class SignalCounters
{
    private readonly long[] _dropped = new long[DropReasonNames.All.Length];
    private long _acceptedDirectly;
    private long _sent;
    private long _failed;
    private long _retried;
    private long _batches;
    private long _bytes;
    private long _lastSuccessTicks;
    private long _lastFailure; // (UTC ticks << 3) | failure kind, so time and kind are read together

    /// <summary>The signal's queue, whose own counts of records offered and dropped are part of these totals.</summary>
    public IQueueCounts? Queue { get; set; }

    public long Accepted => (Queue?.Offered ?? 0) + Volatile.Read(ref _acceptedDirectly);

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

    public long DroppedFor(DropReason reason) => Volatile.Read(ref _dropped[(int)reason]) + reason switch
    {
        DropReason.QueueFull => Queue?.Evicted ?? 0,
        DropReason.Shutdown => Queue?.Discarded ?? 0,
        _ => 0,
    };

    /// <summary>Counts records accepted without going through the queue (the drop report; lines kept before the client existed).</summary>
    public void OnAccepted(long count = 1) => Interlocked.Add(ref _acceptedDirectly, count);

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
