namespace Panopticon.Sdk.Sampling;

/// <summary>What sampling decided, in traces, and the records it dropped; lock-free running totals.</summary>
internal sealed class SamplingCounters
{
    private long _sampled;
    private long _notSampled;
    private long _keptForErrors;
    private long _evicted;
    private long _sampledOutRecords;
    private long _evictedRecords;

    public long TracesSampled => Volatile.Read(ref _sampled);

    public long TracesNotSampled => Volatile.Read(ref _notSampled);

    public long TracesKeptForErrors => Volatile.Read(ref _keptForErrors);

    public long TracesEvicted => Volatile.Read(ref _evicted);

    /// <summary>Records dropped with a trace that was not sampled and had nothing failed.</summary>
    public long SampledOutRecords => Volatile.Read(ref _sampledOutRecords);

    /// <summary>Records dropped with a trace pushed out of memory.</summary>
    public long EvictedRecords => Volatile.Read(ref _evictedRecords);

    public void OnDecided(bool sampled) => Interlocked.Increment(ref sampled ? ref _sampled : ref _notSampled);

    public void OnKeptForErrors() => Interlocked.Increment(ref _keptForErrors);

    public void OnEvicted() => Interlocked.Increment(ref _evicted);

    public void OnDropped(TraceOutcome outcome, long records) =>
        Interlocked.Add(ref outcome == TraceOutcome.Evicted ? ref _evictedRecords : ref _sampledOutRecords, records);
}
