using System.Globalization;
using Panopticon.Sdk.Engine;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Panopticon.Sdk.Transport;

/// <summary>
/// Sends one request with Polly: each attempt cut at <c>ExportTimeout</c>; 408, 429, 5xx and network errors
/// retried up to <c>MaxRetryAttempts</c> with exponential backoff and full jitter (or the server's
/// <c>Retry-After</c>); the whole thing bounded by <c>MaxRetryDuration</c>, so no batch waits forever.
/// </summary>
internal sealed class RetryingSender
{
    private static readonly TimeSpan BaseDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);
    private readonly ITelemetryTransport _transport;
    private readonly ResiliencePipeline<TransportResponse> _pipeline;

    public RetryingSender(ITelemetryTransport transport, PanopticonOptions options, TimeProvider time, SignalCounters counters, TelemetrySignal signal, Random? jitter = null)
    {
        _transport = transport;
        var random = jitter ?? Random.Shared;
        var signalName = signal.ToLabel();
        _pipeline = new ResiliencePipelineBuilder<TransportResponse> { TimeProvider = time }
            .AddTimeout(options.MaxRetryDuration)
            .AddRetry(new RetryStrategyOptions<TransportResponse>
            {
                MaxRetryAttempts = Math.Max(options.MaxRetryAttempts, 1), // Polly needs one; ShouldHandle says no when 0
                ShouldHandle = args => ValueTask.FromResult(options.MaxRetryAttempts > 0 && ShouldRetry(args.Outcome, args.Context.CancellationToken)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(DelayFor(args.Outcome, args.AttemptNumber, random)),
                OnRetry = args =>
                {
                    counters.OnRetried();
                    PanopticonEventSource.Log.BatchRetried(signalName, args.AttemptNumber + 1, Describe(args.Outcome));
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(options.ExportTimeout)
            .Build();
    }

    public async Task<DeliveryOutcome> SendAsync(ExportRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _pipeline.ExecuteAsync(
                static (state, token) => state._transport.SendAsync(state.request, token),
                (_transport, request),
                cancellationToken).ConfigureAwait(false);

            return response switch
            {
                { IsSuccess: true } => new DeliveryOutcome(DeliveryStatus.Delivered, response.StatusCode, response.BodyBytes),
                { IsPayloadTooLarge: true } => new DeliveryOutcome(DeliveryStatus.TooLarge, 413),
                { IsRetryable: true } => new DeliveryOutcome(DeliveryStatus.GaveUp, response.StatusCode, Reason: "HTTP " + response.StatusCode.ToString(CultureInfo.InvariantCulture)),
                _ => new DeliveryOutcome(DeliveryStatus.Rejected, response.StatusCode),
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new DeliveryOutcome(DeliveryStatus.Cancelled, Reason: "cancelled by shutdown");
        }
        catch (TimeoutRejectedException)
        {
            return new DeliveryOutcome(DeliveryStatus.GaveUp, Reason: "timed out");
        }
        catch (Exception exception)
        {
            return new DeliveryOutcome(DeliveryStatus.GaveUp, Reason: exception.GetType().Name);
        }
    }

    private static bool ShouldRetry(Outcome<TransportResponse> outcome, CancellationToken token) => outcome switch
    {
        { Exception: OperationCanceledException } => !token.IsCancellationRequested,
        { Exception: not null } => true, // network errors, attempt timeouts
        { Result: var response } => response.IsRetryable,
    };

    private static TimeSpan DelayFor(Outcome<TransportResponse> outcome, int attempt, Random random)
    {
        if (outcome.Exception is null && outcome.Result.RetryAfter is { } retryAfter)
        {
            return retryAfter; // the overall deadline still caps an excessive Retry-After
        }

        // Full jitter: uniform in [0, min(MaxDelay, BaseDelay * 2^attempt)].
        var ceiling = Math.Min(MaxDelay.Ticks, BaseDelay.Ticks << Math.Min(attempt, 16));
        return TimeSpan.FromTicks(random.NextInt64(ceiling + 1));
    }

    private static string Describe(Outcome<TransportResponse> outcome) =>
        outcome.Exception is { } exception ? exception.GetType().Name : "HTTP " + outcome.Result.StatusCode.ToString(CultureInfo.InvariantCulture);
}
