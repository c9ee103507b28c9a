using Panopticon.Sdk.Sampling;

namespace Panopticon.Sdk;

/// <summary>A snapshot of the SDK's counters since the client was created (logs and spans together).</summary>
public sealed class PanopticonStatistics
{
    /// <summary>The <see cref="DroppedByReason"/> key of records of traces that were not sampled and had nothing fail.</summary>
    public const string SampledOut = "sampled_out";

    /// <summary>The <see cref="DroppedByReason"/> key of records of traces held while not sampled and pushed out of memory (<see cref="PanopticonOptions.MaxPendingTraces"/>).</summary>
    public const string SamplingEvicted = "sampling_evicted";

    internal PanopticonStatistics(long accepted, long sent, long failed, long retried, long batches, long bytes, IReadOnlyDictionary<string, long> droppedByReason, DateTimeOffset? lastSuccessAt = null, DateTimeOffset? lastFailureAt = null, PanopticonFailureKind? lastFailureKind = null, long hookFailures = 0, SamplingCounters? sampling = null)
    {
        TracesSampled = sampling?.TracesSampled ?? 0;
        TracesNotSampled = sampling?.TracesNotSampled ?? 0;
        TracesKeptForErrors = sampling?.TracesKeptForErrors ?? 0;
        TracesEvicted = sampling?.TracesEvicted ?? 0;
        HookFailures = hookFailures;
        LastSuccessAt = lastSuccessAt;
        LastFailureAt = lastFailureAt;
        LastFailureKind = lastFailureKind;
        Accepted = accepted;
        Sent = sent;
        Failed = failed;
        Retried = retried;
        Batches = batches;
        Bytes = bytes;
        DroppedByReason = droppedByReason;
        Dropped = droppedByReason.Values.Sum();
    }

    /// <summary>Times a hook of the application's (<c>FilterLogs</c>, <c>EnrichSpans</c> …) threw; each such record was sent without the hooks' changes.</summary>
    public long HookFailures { get; }

    /// <summary>
    /// Local traces sampled by <see cref="PanopticonOptions.TracesSampleRatio"/> and <see cref="PanopticonOptions.MaxTracesPerSecond"/>
    /// or by their caller's <c>traceparent</c>; counted while sampling is on (a ratio below 1 or a rate limit).
    /// </summary>
    public long TracesSampled { get; }

    /// <summary>Local traces not sampled: held until their local root span ended, then sent (<see cref="TracesKeptForErrors"/>), dropped (<c>sampled_out</c>) or evicted (<see cref="TracesEvicted"/>).</summary>
    public long TracesNotSampled { get; }

    /// <summary>Traces not sampled that were sent whole because something in them failed.</summary>
    public long TracesKeptForErrors { get; }

    /// <summary>Traces not sampled that were dropped unfinished: pushed out of memory by <see cref="PanopticonOptions.MaxPendingTraces"/> or still held at shutdown.</summary>
    public long TracesEvicted { get; }

    /// <summary>Records handed to the SDK.</summary>
    public long Accepted { get; }

    /// <summary>Records acknowledged by the endpoint.</summary>
    public long Sent { get; }

    /// <summary>Records the endpoint rejected (400/401/403) or that were given up after failing while other batches were accepted.</summary>
    public long Failed { get; }

    /// <summary>Records dropped before they could be sent; see <see cref="DroppedByReason"/>.</summary>
    public long Dropped { get; }

    /// <summary>Dropped records by reason: <c>queue_full</c>, <c>shutdown</c>, <c>too_large</c>, <c>unserializable</c>, <c>filtered</c> (left out by a filter hook), <c>sampled_out</c> and <c>sampling_evicted</c> (see <see cref="TracesNotSampled"/>), <c>buffer_full</c> and <c>expired</c> (the oldest batches of <c>BufferDirectory</c>, beyond <c>MaxBufferBytes</c> or <c>BufferRetention</c>).</summary>
    public IReadOnlyDictionary<string, long> DroppedByReason { get; }

    /// <summary>HTTP attempts that were retried.</summary>
    public long Retried { get; }

    /// <summary>Requests acknowledged by the endpoint.</summary>
    public long Batches { get; }

    /// <summary>Request body bytes acknowledged by the endpoint (after compression).</summary>
    public long Bytes { get; }

    /// <summary>When the endpoint last accepted a batch, or <see langword="null"/> if it never has.</summary>
    public DateTimeOffset? LastSuccessAt { get; }

    /// <summary>When an export attempt last failed (rejected, given up, or failed while the Producer is unreachable or failing and the batch is held), or <see langword="null"/> if none has.</summary>
    public DateTimeOffset? LastFailureAt { get; }

    /// <summary>Why the export at <see cref="LastFailureAt"/> failed, or <see langword="null"/> if none has.</summary>
    public PanopticonFailureKind? LastFailureKind { get; }

    /// <summary>Batches waiting in <c>BufferDirectory</c> (or, when it cannot be written, in memory), being sent included; 0 without a buffer directory.</summary>
    public long StoredBatches { get; internal init; }

    /// <summary>Bytes of the batches counted by <see cref="StoredBatches"/>.</summary>
    public long StoredBytes { get; internal init; }

    /// <inheritdoc />
    public override string ToString() =>
        $"accepted={Accepted} sent={Sent} failed={Failed} dropped={Dropped} retried={Retried} batches={Batches} bytes={Bytes}";
}
