using Panopticon.Sdk.Diagnostics;
using Panopticon.Sdk.Engine;
using Panopticon.Sdk.Serialization;
using Panopticon.Sdk.Storage;
using Panopticon.Sdk.Transport;

namespace Panopticon.Sdk.Pipeline;

/// <summary>
/// The sender loop of one signal: takes batches from the store, up to <see cref="MaxBatchesInFlight"/> at once, and
/// sees each to its final outcome: cut into requests that fit <c>MaxBatchBytes</c> and the body size the Producer
/// was seen to accept (a 413 halves and teaches it), each sent with retries and timeouts by the
/// <see cref="RetryingSender"/>, counted as sent, failed or dropped; then completes it in the store. Never throws.
/// </summary>
internal sealed class SenderLoop : IDisposable
{
    /// <summary>
    /// Batches on their way at once: while one waits for its retry (the Producer refused it alone), the next goes.
    /// </summary>
    public const int MaxBatchesInFlight = 2;

    private readonly TelemetrySignal _signal;
    private readonly IBatchStore _store;
    private readonly RetryingSender _sender;
    private readonly LearnedBodyLimit _bodyLimit;
    private readonly PendingBatches _pending;
    private readonly SignalCounters _counters;
    private readonly TimeProvider _time;
    private readonly ExportHealthReporter? _health;
    private readonly HashSet<int> _reportedStatuses = []; // locked: each rejection status is reported once
    private readonly CancellationTokenSource _stopTaking = new();
    private readonly CancellationToken _abort; // the pipeline cancels it when the shutdown budget is spent
    private Task _loop = Task.CompletedTask;

    public SenderLoop(TelemetrySignal signal, IBatchStore store, RetryingSender sender, LearnedBodyLimit bodyLimit, PendingBatches pending, SignalCounters counters, TimeProvider time, CancellationToken abort, ExportHealthReporter? health = null)
    {
        _signal = signal;
        _store = store;
        _sender = sender;
        _bodyLimit = bodyLimit;
        _pending = pending;
        _counters = counters;
        _time = time;
        _abort = abort;
        _health = health;
    }

    public void Start()
    {
        using (ExecutionContext.SuppressFlow())
        {
            _loop = Task.Run(RunAsync);
        }
    }

    /// <summary>Takes no further batch and completes once the batches on their way have their outcome.</summary>
    public async Task StopAsync()
    {
        await _stopTaking.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
    }

    public void Dispose() => _stopTaking.Dispose();

    private async Task RunAsync()
    {
        var inFlight = new List<Task>(MaxBatchesInFlight);
        try
        {
            while (true)
            {
                if (inFlight.Count == MaxBatchesInFlight)
                {
                    await Task.WhenAny(inFlight).WaitAsync(_stopTaking.Token).ConfigureAwait(false);
                }

                inFlight.RemoveAll(send => send.IsCompleted);
                if (inFlight.Count == MaxBatchesInFlight)
                {
                    continue;
                }

                var batch = await _store.TakeAsync(_stopTaking.Token).ConfigureAwait(false);
                inFlight.Add(Task.Run(() => SendBatchAsync(batch), CancellationToken.None));
            }
        }
        catch (OperationCanceledException) when (_stopTaking.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            PanopticonEventSource.Log.InternalError(nameof(SenderLoop), exception.GetType().FullName ?? "Exception");
        }

        await Task.WhenAll(inFlight).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task SendBatchAsync(SerializedBatch batch)
    {
        var progress = new Progress();
        try
        {
            await SendRunAsync(batch, 0, batch.RecordCount, int.MaxValue, progress).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // Whatever went wrong, every record still gets exactly one outcome.
            PanopticonEventSource.Log.InternalError(nameof(SenderLoop), exception.GetType().FullName ?? "Exception");
            _counters.OnFailed(batch.RecordCount - progress.Settled);
        }

        if (progress.LeftInStore)
        {
            return; // a durable store keeps it for the next start
        }

        _store.Complete(batch);
        _pending.Settle(batch);
    }

    /// <summary>
    /// Sends records <paramref name="start"/> to <paramref name="end"/> in requests no larger than the learned body
    /// limit and <paramref name="maxBytes"/>, read again before each request so one 413 resizes the rest of the batch.
    /// </summary>
    private async Task SendRunAsync(SerializedBatch batch, int start, int end, int maxBytes, Progress progress)
    {
        while (start < end && !progress.LeftInStore)
        {
            var range = BatchRanges.NextRange(batch, start, end, Math.Min(maxBytes, _bodyLimit.Bytes));
            await SendRangeAsync(batch, range, progress).ConfigureAwait(false);
            start += range.Count;
        }
    }

    private async Task SendRangeAsync(SerializedBatch batch, RecordRange range, Progress progress)
    {
        var json = BatchRanges.Json(batch, range);
        var request = new ExportRequest(_signal, BatchRanges.Id(batch, range), range.Count, json);
        var outcome = await _sender.SendAsync(request, _abort).ConfigureAwait(false);
        switch (outcome.Status)
        {
            case DeliveryStatus.Delivered:
                _bodyLimit.OnAccepted();
                _counters.OnSent(range.Count, outcome.BodyBytes);
                _health?.OnAccepted(_signal);
                break;
            case DeliveryStatus.TooLarge when range.Count > 1:
                // Cut smaller than the refused body even if another batch relaxed the limit meanwhile.
                _bodyLimit.OnRefused(json.Length);
                await SendRunAsync(batch, range.Start, range.Start + range.Count, json.Length - 1, progress).ConfigureAwait(false);
                return;
            case DeliveryStatus.TooLarge:
                _counters.OnFailure(PanopticonFailureKind.PayloadRejected, _time.GetUtcNow());
                _counters.OnDropped(DropReason.TooLarge, 1);
                _health?.OnPayloadRefused(_signal, 413, outcome.Reason, 1);
                PanopticonEventSource.Log.RecordsDropped(_signal.ToLabel(), 1, "too_large (HTTP 413)");
                break;
            case DeliveryStatus.Cancelled when _store.IsDurable:
                progress.LeftInStore = true;
                return;
            case DeliveryStatus.Cancelled:
                _counters.OnDropped(DropReason.Shutdown, range.Count);
                break;
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

                break;
            default:
                _counters.OnFailure(outcome.Kind, _time.GetUtcNow());
                _counters.OnFailed(range.Count);
                _health?.OnGivenUp(range.Count, outcome.Reason);
                PanopticonEventSource.Log.BatchGivenUp(_signal.ToLabel(), range.Count, outcome.Reason ?? "unknown");
                break;
        }

        progress.Settled += range.Count;
    }

    private bool FirstTimeRejectedWith(int statusCode)
    {
        lock (_reportedStatuses)
        {
            return _reportedStatuses.Add(statusCode);
        }
    }

    // How far one batch got: records with an outcome, and whether it stays in a durable store (cancelled at shutdown).
    private sealed class Progress
    {
        public int Settled { get; set; }

        public bool LeftInStore { get; set; }
    }
}
