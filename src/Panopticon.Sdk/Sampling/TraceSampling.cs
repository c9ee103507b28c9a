using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Panopticon.Sdk.Engine;
using Panopticon.Sdk.Tracing;

namespace Panopticon.Sdk.Sampling;

/// <summary>
/// Stands between the span processor and logger and the engine: records of a sampled trace (or of none) go straight to
/// the client; those of a trace that is not sampled are held in its <see cref="LocalTrace"/> until the local root span
/// ends, then sent whole if anything in it failed and dropped otherwise. Everything here runs on the application's
/// threads, so it only copies, counts and links: holding a record costs about what enqueueing it does. A sampled trace
/// keeps no state (its root span gets a marker only if something in it fails, for its <c>sample_rate</c>), so only a
/// trace that is held pays for a <see cref="LocalTrace"/> and the root activity's custom-property table.
/// </summary>
internal sealed class TraceSampling
{
    /// <summary>The custom property of a local root span that holds its <see cref="LocalTrace"/> (<see cref="PanopticonTrace.IsSampled"/> reads it).</summary>
    internal const string TraceProperty = "Panopticon.Sampling";

    /// <summary>The label that tells the dashboard how to scale counts: 1 / sample_rate traces like this one happened.</summary>
    internal const string SampleRateLabel = "sample_rate";

    private static readonly object FailedMarker = new();
    private static int s_instances;

    private readonly PanopticonClient _client;
    private readonly TraceSampler _sampler;
    private readonly PendingTraces _pending;
    private readonly bool _alwaysSendWarnings;

    // Another client in the same process (tests, a console client next to a host) may track the same activities: the
    // first one uses TraceProperty, the others their own property.
    private readonly string _ownProperty = TraceProperty + "#" + Interlocked.Increment(ref s_instances).ToString(CultureInfo.InvariantCulture);

    // Set on the local root of a sampled trace once something in it fails (its sample_rate is then 1).
    private readonly string _failedProperty;

    public TraceSampling(PanopticonClient client, PanopticonOptions options, TraceSampler sampler)
    {
        _client = client;
        _sampler = sampler;
        _alwaysSendWarnings = options.AlwaysSendWarningLogs;
        _failedProperty = _ownProperty + ".Failed";
        _pending = new PendingTraces(options.MaxPendingTraces, options.MaxQueueSize, trace => Drop(trace, TraceOutcome.Evicted));
    }

    public SamplingCounters Counters { get; } = new();

    /// <summary>Traces held now (tests).</summary>
    internal int PendingCount => _pending.Count;

    /// <summary>Records held now (tests).</summary>
    internal long PendingRecords => _pending.Records;

    /// <summary>A span started (on its thread): a local root gets its trace's decision.</summary>
    public void OnStarted(Activity activity)
    {
        if (activity.Parent is not null || !_sampler.IsActive)
        {
            return; // not a local root, or sampling is off (ratio 1, no rate limit): everything is sent as it ends
        }

        var decision = _sampler.Decide(activity);
        Counters.OnDecided(decision != SamplingDecision.NotSampled);
        if (decision != SamplingDecision.NotSampled)
        {
            return; // sent as it ends, like a trace without sampling: nothing to keep
        }

        var trace = new LocalTrace(this);
        if (activity.GetCustomProperty(TraceProperty) is null)
        {
            activity.SetCustomProperty(TraceProperty, trace);
        }
        else
        {
            activity.SetCustomProperty(_ownProperty, trace);
        }

        _pending.Add(trace);
    }

    /// <summary>A recorded span ended (on its thread); <paramref name="excluded"/> ones are not sent but still end their trace.</summary>
    public void OnEnded(Activity activity, bool excluded)
    {
        if (!_sampler.IsActive)
        {
            if (!excluded)
            {
                _client.TryWriteSpan(activity); // sampling off: nothing is tracked, every span is sent as it ends
            }

            return;
        }

        var root = LocalRoot(activity);
        var isRoot = ReferenceEquals(activity, root);
        if (Find(root) is not { } trace)
        {
            if (!excluded)
            {
                WriteSampled(activity, root, isRoot);
            }

            return;
        }

        if (!excluded && HasFailed(activity))
        {
            trace.MarkFailed();
        }

        SpanRecord? record = null;
        if (!excluded)
        {
            record = _client.RentSpanRecord();
            record.CopyFrom(activity);
        }

        if (isRoot)
        {
            Decide(trace, record);
        }
        else if (record is not null)
        {
            Hold(trace, record);
        }
    }

    /// <summary>A log line was captured (on its thread) inside <paramref name="activity"/>, if any.</summary>
    public void OnLog(LogRecord record, Activity? activity)
    {
        if (activity is null || !_sampler.IsActive)
        {
            _client.TryWriteLog(record);
            return;
        }

        var root = LocalRoot(activity);
        var sendAnyway = _alwaysSendWarnings && record.Level >= LogLevel.Warning;
        if (Find(root) is not { } trace)
        {
            if (record.Level >= LogLevel.Error && CarriesSampleRate(root))
            {
                root.SetCustomProperty(_failedProperty, FailedMarker);
            }

            // Sampled, or not a trace of ours. If OpenTelemetry did not record it because the caller's traceparent said not sampled
            // (its default parent-based sampler), its spans never reach us: its logs follow the caller's decision too.
            if (!sendAnyway && _sampler.IsActive && !root.Recorded && TraceSampler.CallerSampled(root) == false)
            {
                Counters.OnDropped(TraceOutcome.SampledOut, 1);
                _client.LogRecordPool.Return(record);
                return;
            }

            _client.TryWriteLog(record);
            return;
        }

        if (record.Level >= LogLevel.Error)
        {
            trace.MarkFailed();
        }

        if (sendAnyway)
        {
            _client.TryWriteLog(record);
        }
        else if (trace.TryHold(record))
        {
            _pending.OnHeld();
        }
        else
        {
            Late(trace, record);
        }
    }

    /// <summary>On shutdown: the traces still held never ended, so nothing decides them; dropped as evicted.</summary>
    public void DropPending()
    {
        foreach (var trace in _pending.RemoveAll())
        {
            Drop(trace, TraceOutcome.Evicted);
        }
    }

    private static Activity LocalRoot(Activity activity)
    {
        while (activity.Parent is { } parent)
        {
            activity = parent;
        }

        return activity;
    }

    /// <summary>ERROR status, or a server span answered with 500 or more.</summary>
    private static bool HasFailed(Activity activity) =>
        activity.Status == ActivityStatusCode.Error
        || (activity.Kind == ActivityKind.Server
            && StatusCode(activity.GetTagItem(HttpTagNames.StatusCode) ?? activity.GetTagItem(HttpTagNames.LegacyStatusCode)) >= 500);

    private static int StatusCode(object? tag) => tag switch
    {
        int code => code,
        long code => (int)code,
        string text when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var code) => code,
        _ => 0,
    };

    private LocalTrace? Find(Activity root)
    {
        if (root.GetCustomProperty(TraceProperty) is LocalTrace trace && trace.Owner == this)
        {
            return trace;
        }

        return root.GetCustomProperty(_ownProperty) as LocalTrace;
    }

    /// <summary>Sends a span of a sampled trace (or of one not tracked) as it ends.</summary>
    private void WriteSampled(Activity activity, Activity root, bool isRoot)
    {
        if (!CarriesSampleRate(root))
        {
            _client.TryWriteSpan(activity);
            return;
        }

        if (!isRoot)
        {
            if (HasFailed(activity))
            {
                root.SetCustomProperty(_failedProperty, FailedMarker); // rare: a sampled trace keeps no state until it fails
            }

            _client.TryWriteSpan(activity);
            return;
        }

        // The trace's root span says how many traces it stands for; one with a failure would have been kept anyway.
        var failed = HasFailed(activity) || activity.GetCustomProperty(_failedProperty) is not null;
        var record = _client.RentSpanRecord();
        record.CopyFrom(activity);
        StagedLabels.Replace(record.Tags, SampleRateLabel, failed ? 1d : _sampler.Ratio);
        _client.TryWriteSpan(record);
    }

    /// <summary>Whether the trace of <paramref name="root"/> was sampled at the ratio here: its root span gets <c>sample_rate</c>.</summary>
    private bool CarriesSampleRate(Activity root) => _sampler.IsActive && root.Recorded && root.ParentSpanId == default;

    private void Hold(LocalTrace trace, SpanRecord record)
    {
        if (trace.TryHold(record))
        {
            _pending.OnHeld();
        }
        else
        {
            Late(trace, record);
        }
    }

    /// <summary>The local root ended: sends the trace whole if anything failed, drops it otherwise.</summary>
    private void Decide(LocalTrace trace, SpanRecord? rootRecord)
    {
        _pending.Remove(trace);
        var outcome = trace.Failed ? TraceOutcome.Kept : TraceOutcome.SampledOut;
        if (!trace.TryDecide(outcome, out var held))
        {
            if (rootRecord is not null)
            {
                Late(trace, rootRecord); // evicted before its root ended
            }

            return;
        }

        _pending.OnReleased(held?.Count ?? 0);
        if (outcome == TraceOutcome.SampledOut)
        {
            Release(held, rootRecord, outcome);
            return;
        }

        Counters.OnKeptForErrors();
        for (var i = 0; i < (held?.Count ?? 0); i++)
        {
            if (held![i] is SpanRecord span)
            {
                _client.TryWriteSpan(span);
            }
            else
            {
                _client.TryWriteLog((LogRecord)held[i]);
            }
        }

        if (rootRecord is not null)
        {
            if (_sampler.IsActive && !rootRecord.HasParent)
            {
                StagedLabels.Replace(rootRecord.Tags, SampleRateLabel, 1d); // every failed trace is kept
            }

            _client.TryWriteSpan(rootRecord);
        }
    }

    private void Drop(LocalTrace trace, TraceOutcome outcome)
    {
        if (!trace.TryDecide(outcome, out var held))
        {
            return;
        }

        _pending.OnReleased(held?.Count ?? 0);
        if (outcome == TraceOutcome.Evicted)
        {
            Counters.OnEvicted();
        }

        Release(held, null, outcome);
    }

    private void Release(List<IPooledRecord>? held, SpanRecord? rootRecord, TraceOutcome outcome)
    {
        Counters.OnDropped(outcome, (held?.Count ?? 0) + (rootRecord is null ? 0 : 1));
        for (var i = 0; i < (held?.Count ?? 0); i++)
        {
            if (held![i] is SpanRecord span)
            {
                _client.SpanRecordPool.Return(span);
            }
            else
            {
                _client.LogRecordPool.Return((LogRecord)held[i]);
            }
        }

        if (rootRecord is not null)
        {
            _client.SpanRecordPool.Return(rootRecord);
        }
    }

    /// <summary>A record of a trace already decided (it ended after its local root): it goes the way its trace went.</summary>
    private void Late(LocalTrace trace, SpanRecord record) => Late(trace, record, _client.TryWriteSpan, _client.SpanRecordPool);

    private void Late(LocalTrace trace, LogRecord record) => Late(trace, record, _client.TryWriteLog, _client.LogRecordPool);

    private void Late<T>(LocalTrace trace, T record, Func<T, bool> write, RecordPool<T> pool)
        where T : class, IPooledRecord
    {
        var outcome = trace.Outcome;
        if (outcome == TraceOutcome.Kept)
        {
            write(record);
            return;
        }

        Counters.OnDropped(outcome, 1);
        pool.Return(record);
    }
}
