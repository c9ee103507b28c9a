using System.Globalization;
using Panopticon.Sdk.Diagnostics;
using Panopticon.Sdk.Engine;
using Polly;
using Polly.Timeout;

namespace Panopticon.Sdk.Transport;

/// <summary>
/// Sends one request until it has a final answer. Each attempt is cut at <c>ExportTimeout</c> (Polly). A failure
/// worth another try (408, 429, 5xx, network error, timeout) is an outage unless the Producer accepted another batch
/// since this one's previous attempt: then the batch waits in the signal's <see cref="ExportCircuit"/> as long as
/// the outage lasts and is never given up for it. Only a batch that keeps failing while others get through is retried
/// with backoff (full jitter) and given up after <c>MaxRetryAttempts</c> or <c>MaxRetryDuration</c>.
/// </summary>
internal sealed class RetryingSender
{
    private static readonly TimeSpan BaseDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);
    private readonly ITelemetryTransport _transport;
    private readonly ResiliencePipeline<TransportResponse> _attempt;
    private readonly ExportCircuit _circuit;
    private readonly PanopticonOptions _options;
    private readonly TimeProvider _time;
    private readonly SignalCounters _counters;
    private readonly ExportHealthReporter? _health;
    private readonly TelemetrySignal _signal;
    private readonly Random _jitter;

    public RetryingSender(ITelemetryTransport transport, PanopticonOptions options, TimeProvider time, SignalCounters counters, TelemetrySignal signal, ExportCircuit circuit, ExportHealthReporter? health = null, Random? jitter = null)
    {
        _transport = transport;
        _options = options;
        _time = time;
        _counters = counters;
        _signal = signal;
        _circuit = circuit;
        _health = health;
        _jitter = jitter ?? Random.Shared;
        _attempt = new ResiliencePipelineBuilder<TransportResponse> { TimeProvider = time }.AddTimeout(options.ExportTimeout).Build();
    }

    public async Task<DeliveryOutcome> SendAsync(ExportRequest request, CancellationToken cancellationToken)
    {
        var ownFailures = 0;
        DateTimeOffset? firstOwnFailure = null;
        var previousAttempt = _time.GetUtcNow();
        while (true)
        {
            var isProbe = false;
            try
            {
                isProbe = await _circuit.WaitForTurnAsync(cancellationToken).ConfigureAwait(false);
                var started = _time.GetUtcNow();
                TransportResponse? response;
                string? failure;
                PanopticonFailureKind kind;
                try
                {
                    (response, failure, kind) = await AttemptAsync(request, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // Not a network failure but a fault of the transport itself: retrying or holding would not help.
                    PanopticonEventSource.Log.InternalError(nameof(RetryingSender), exception.GetType().FullName ?? "Exception");
                    if (isProbe)
                    {
                        _circuit.OnProbeAbandoned();
                    }

                    return new DeliveryOutcome(DeliveryStatus.GaveUp, Reason: exception.GetType().Name, Kind: PanopticonFailureKind.ProducerUnreachable);
                }

                if (response is { IsSuccess: true })
                {
                    _counters.OnSuccess(_time.GetUtcNow()); // before the circuit closes, so a batch failing now sees it
                    _circuit.OnAnswered();
                    return new DeliveryOutcome(DeliveryStatus.Delivered, response.Value.StatusCode, response.Value.BodyBytes);
                }

                if (response is { IsRetryable: false } answer)
                {
                    _circuit.OnAnswered();
                    return answer.IsPayloadTooLarge
                        ? new DeliveryOutcome(DeliveryStatus.TooLarge, 413, Reason: answer.Reason)
                        : new DeliveryOutcome(DeliveryStatus.Rejected, answer.StatusCode, Reason: answer.Reason);
                }

                var reason = failure ?? "HTTP " + response!.Value.StatusCode.ToString(CultureInfo.InvariantCulture);
                _counters.OnRetried();
                PanopticonEventSource.Log.BatchRetried(_signal.ToLabel(), ownFailures + 2, reason);
                if (_counters.LastSuccessAt is not { } lastSuccess || lastSuccess < previousAttempt)
                {
                    // Nothing got through since this batch last tried: the Producer is down, not this batch. Hold it.
                    _counters.OnFailure(kind, _time.GetUtcNow());
                    _circuit.OnOutage(isProbe, response?.RetryAfter);
                    _health?.OnHeld(_signal, kind, reason);
                    previousAttempt = started;
                    continue;
                }

                // Others get through: this failure is the batch's own, so it counts against its retries.
                if (isProbe)
                {
                    _circuit.OnProbeAbandoned();
                }

                previousAttempt = started;
                firstOwnFailure ??= started;
                if (++ownFailures > _options.MaxRetryAttempts || _time.GetUtcNow() - firstOwnFailure >= _options.MaxRetryDuration)
                {
                    return new DeliveryOutcome(DeliveryStatus.GaveUp, response?.StatusCode ?? 0, Reason: reason, Kind: kind);
                }

                await Task.Delay(DelayFor(response?.RetryAfter, ownFailures), _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                if (isProbe)
                {
                    _circuit.OnProbeAbandoned();
                }

                return new DeliveryOutcome(DeliveryStatus.Cancelled, Reason: "cancelled by shutdown");
            }
        }
    }

    /// <summary>One attempt: the answer, or why there was none (a network failure or timeout); other exceptions propagate.</summary>
    private async Task<(TransportResponse? Response, string? Failure, PanopticonFailureKind Kind)> AttemptAsync(ExportRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _attempt.ExecuteAsync(
                static (state, token) => state._transport.SendAsync(state.request, token),
                (_transport, request),
                cancellationToken).ConfigureAwait(false);
            return (response, null, PanopticonFailureKind.ProducerFailing);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutRejectedException)
        {
            return (null, "no answer within ExportTimeout (" + _options.ExportTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s)", PanopticonFailureKind.ProducerFailing);
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or System.Net.Sockets.SocketException)
        {
            return (null, Describe(exception), PanopticonFailureKind.ProducerUnreachable);
        }
    }

    private TimeSpan DelayFor(TimeSpan? retryAfter, int attempt)
    {
        if (retryAfter is { } wait)
        {
            return wait < MaxDelay ? wait : MaxDelay;
        }

        // Full jitter: uniform in [0, min(MaxDelay, BaseDelay * 2^attempt)].
        var ceiling = Math.Min(MaxDelay.Ticks, BaseDelay.Ticks << Math.Min(attempt, 16));
        return TimeSpan.FromTicks(_jitter.NextInt64(ceiling + 1));
    }

    // The innermost message says what happened ("Connection refused (127.0.0.1:5999)"); it never holds a header.
    private static string Describe(Exception exception)
    {
        var inner = exception;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        var message = exception is HttpRequestException { Message: { Length: > 0 } outer } ? outer : inner.Message;
        return exception.GetType().Name + ": " + (message.Length > 200 ? message[..200] : message);
    }
}
