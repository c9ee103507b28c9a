using Panopticon.Sdk.Diagnostics;
using Panopticon.Sdk.Serialization;
using Panopticon.Sdk.Transport;

namespace Panopticon.Sdk.Engine;

/// <summary>
/// One export lane: serializes a batch into its own buffers, then turns it into requests and sees each to its end:
/// split to fit <c>MaxBatchBytes</c> and the body size the Producer was seen to accept (a 413 teaches it), counted as
/// sent, failed or dropped. Never throws.
/// <see cref="Serialize"/> and <see cref="SendAsync"/> alternate; the lanes of a signal share the sender, the counters
/// and the record serializer (which is not thread-safe, so lanes take turns with it).
/// </summary>
internal sealed class BatchExporter<T> : IDisposable
{
    private readonly TelemetrySignal _signal;
    private readonly BatchSerializer<T> _serializer;
    private readonly RetryingSender _sender;
    private readonly LearnedBodyLimit _bodyLimit;
    private readonly SignalCounters _counters;
    private readonly HashSet<int> _reportedStatuses;
    private readonly object _serializerGate;
    private readonly TimeProvider _time;
    private readonly ExportHealthReporter? _health;

    // Shared by the lanes of a signal: bodyLimit; reportedStatuses (locked), so each rejection status is reported once;
    // serializerGate, held while serializing because the lanes' BatchSerializers wrap the same record serializer.
    public BatchExporter(TelemetrySignal signal, BatchSerializer<T> serializer, RetryingSender sender, LearnedBodyLimit bodyLimit, SignalCounters counters, HashSet<int>? reportedStatuses = null, object? serializerGate = null, TimeProvider? time = null, ExportHealthReporter? health = null)
    {
        _health = health;
        _time = time ?? TimeProvider.System;
        _signal = signal;
        _serializer = serializer;
        _sender = sender;
        _bodyLimit = bodyLimit;
        _counters = counters;
        _reportedStatuses = reportedStatuses ?? [];
        _serializerGate = serializerGate ?? new object();
    }

    /// <summary>
    /// Serializes <paramref name="records"/> (a record that fails or is too large alone is dropped and counted).
    /// Afterwards the records themselves are no longer read, so they can be released at once.
    /// </summary>
    public void Serialize(IReadOnlyList<T> records)
    {
        try
        {
            lock (_serializerGate)
            {
                _serializer.Serialize(records, _counters);
            }
        }
        catch (Exception exception)
        {
            PanopticonEventSource.Log.InternalError(nameof(BatchExporter<T>), exception.GetType().FullName ?? "Exception");
            _serializer.Clear();
            _counters.OnFailed(records.Count);
        }
    }

    /// <summary>Sends what the last <see cref="Serialize"/> produced; every record gets exactly one outcome.</summary>
    public async Task SendAsync(CancellationToken cancellationToken)
    {
        var settled = 0;
        try
        {
            settled = await SendRunAsync(0, _serializer.Count, int.MaxValue, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // Whatever went wrong, every record still gets exactly one outcome.
            PanopticonEventSource.Log.InternalError(nameof(BatchExporter<T>), exception.GetType().FullName ?? "Exception");
            _counters.OnFailed(_serializer.Count - settled);
        }
    }

    /// <summary>
    /// Sends records <paramref name="start"/> to <paramref name="end"/> in requests no larger than the learned body
    /// limit and <paramref name="maxBytes"/>, read again before each request so one 413 resizes the rest of the batch.
    /// </summary>
    /// <returns>The number of records settled (sent, failed or dropped).</returns>
    private async Task<int> SendRunAsync(int start, int end, int maxBytes, CancellationToken cancellationToken)
    {
        var settled = 0;
        while (start < end)
        {
            var range = _serializer.NextRange(start, end, Math.Min(maxBytes, _bodyLimit.Bytes));
            settled += await SendRangeAsync(range, cancellationToken).ConfigureAwait(false);
            start += range.Count;
        }

        return settled;
    }

    /// <returns>The number of records settled (sent, failed or dropped).</returns>
    private async Task<int> SendRangeAsync(RecordRange range, CancellationToken cancellationToken)
    {
        var payload = _serializer.Payload(range);
        var request = new ExportRequest(_signal, Guid.NewGuid(), range.Count, payload);
        var outcome = await _sender.SendAsync(request, cancellationToken).ConfigureAwait(false);
        switch (outcome.Status)
        {
            case DeliveryStatus.Delivered:
                _bodyLimit.OnAccepted();
                _counters.OnSent(range.Count, outcome.BodyBytes);
                _health?.OnAccepted(_signal);
                return range.Count;
            case DeliveryStatus.TooLarge when range.Count > 1:
                // Cut smaller than the refused body even if the other lane relaxed the limit meanwhile.
                _bodyLimit.OnRefused(payload.Length);
                return await SendRunAsync(range.Start, range.Start + range.Count, payload.Length - 1, cancellationToken).ConfigureAwait(false);
            case DeliveryStatus.TooLarge:
                _counters.OnFailure(PanopticonFailureKind.PayloadRejected, _time.GetUtcNow());
                _counters.OnDropped(DropReason.TooLarge, 1);
                _health?.OnPayloadRefused(_signal, 413, outcome.Reason, 1);
                PanopticonEventSource.Log.RecordsDropped(_signal.ToLabel(), 1, "too_large (HTTP 413)");
                return 1;
            case DeliveryStatus.Cancelled:
                _counters.OnDropped(DropReason.Shutdown, range.Count);
                return range.Count;
            case DeliveryStatus.Rejected:
                var keyRejected = outcome.StatusCode is 401 or 403;
                _counters.OnFailure(keyRejected ? PanopticonFailureKind.ApiKeyRejected : PanopticonFailureKind.PayloadRejected, _time.GetUtcNow());
                _counters.OnFailed(range.Count);
                if (keyRejected)
                {
                    _health?.OnKeyRejected(_signal, outcome.StatusCode, range.Count);
                }
                else
                {
                    _health?.OnPayloadRefused(_signal, outcome.StatusCode, outcome.Reason, range.Count);
                }

                if (FirstTimeRejectedWith(outcome.StatusCode))
                {
                    PanopticonEventSource.Log.BatchRejected(_signal.ToLabel(), range.Count, outcome.StatusCode);
                }

                return range.Count;
            default:
                _counters.OnFailure(outcome.Kind, _time.GetUtcNow());
                _counters.OnFailed(range.Count);
                _health?.OnGivenUp(range.Count, outcome.Reason);
                PanopticonEventSource.Log.BatchGivenUp(_signal.ToLabel(), range.Count, outcome.Reason ?? "unknown");
                return range.Count;
        }
    }

    private bool FirstTimeRejectedWith(int statusCode)
    {
        lock (_reportedStatuses)
        {
            return _reportedStatuses.Add(statusCode);
        }
    }

    public void Dispose()
    {
        _serializer.Dispose();
    }
}
