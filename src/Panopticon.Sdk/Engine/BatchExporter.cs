using Panopticon.Sdk.Serialization;
using Panopticon.Sdk.Transport;

namespace Panopticon.Sdk.Engine;

/// <summary>
/// Turns one batch into requests and sees each to its end: split to fit <c>MaxBatchBytes</c>, halved again
/// on 413, counted as sent, failed or dropped. Never throws. Not thread-safe: one per signal.
/// </summary>
internal sealed class BatchExporter<T> : IDisposable
{
    private readonly TelemetrySignal _signal;
    private readonly BatchSerializer<T> _serializer;
    private readonly RetryingSender _sender;
    private readonly SignalCounters _counters;
    private readonly PooledByteBuffer _payload = new(64 * 1024);
    private readonly HashSet<int> _reportedStatuses = [];

    public BatchExporter(TelemetrySignal signal, BatchSerializer<T> serializer, RetryingSender sender, SignalCounters counters)
    {
        _signal = signal;
        _serializer = serializer;
        _sender = sender;
        _counters = counters;
    }

    public async Task ExportAsync(IReadOnlyList<T> records, CancellationToken cancellationToken)
    {
        var settled = 0;
        try
        {
            _serializer.Serialize(records, _counters);
            settled = records.Count - _serializer.Count; // already counted as dropped
            foreach (var range in _serializer.SplitBySize())
            {
                settled += await SendAsync(range, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception exception)
        {
            // Whatever went wrong, every record still gets exactly one outcome.
            PanopticonEventSource.Log.InternalError(nameof(BatchExporter<T>), exception.GetType().FullName ?? "Exception");
            _counters.OnFailed(records.Count - settled);
        }
    }

    /// <returns>The number of records settled (sent, failed or dropped).</returns>
    private async Task<int> SendAsync(RecordRange range, CancellationToken cancellationToken)
    {
        _serializer.WritePayload(range, _payload);
        var request = new ExportRequest(_signal, Guid.NewGuid(), range.Count, _payload.WrittenMemory);
        var outcome = await _sender.SendAsync(request, cancellationToken).ConfigureAwait(false);
        switch (outcome.Status)
        {
            case DeliveryStatus.Delivered:
                _counters.OnSent(range.Count, outcome.BodyBytes);
                return range.Count;
            case DeliveryStatus.TooLarge when range.Count > 1:
                var (first, second) = range.Halve();
                var settled = await SendAsync(first, cancellationToken).ConfigureAwait(false);
                return settled + await SendAsync(second, cancellationToken).ConfigureAwait(false);
            case DeliveryStatus.TooLarge:
                _counters.OnDropped(DropReason.TooLarge, 1);
                PanopticonEventSource.Log.RecordsDropped(_signal.ToLabel(), 1, "too_large (HTTP 413)");
                return 1;
            case DeliveryStatus.Cancelled:
                _counters.OnDropped(DropReason.Shutdown, range.Count);
                return range.Count;
            case DeliveryStatus.Rejected:
                _counters.OnFailed(range.Count);
                if (_reportedStatuses.Add(outcome.StatusCode))
                {
                    PanopticonEventSource.Log.BatchRejected(_signal.ToLabel(), range.Count, outcome.StatusCode);
                }

                return range.Count;
            default:
                _counters.OnFailed(range.Count);
                PanopticonEventSource.Log.BatchGivenUp(_signal.ToLabel(), range.Count, outcome.Reason ?? "unknown");
                return range.Count;
        }
    }

    public void Dispose()
    {
        _serializer.Dispose();
        _payload.Dispose();
    }
}
