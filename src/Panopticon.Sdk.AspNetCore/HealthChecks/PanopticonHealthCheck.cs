using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Panopticon.Sdk.AspNetCore;

/// <summary>
/// Reports the SDK's own health from its counters, never from a call of its own: Unhealthy when the API key was
/// rejected or records have waited too long without an accepted batch, Degraded after recent losses or with the
/// buffer over 80 % of <c>MaxQueueSize</c>, else Healthy. Its data carries the counters, never the API key.
/// </summary>
internal sealed class PanopticonHealthCheck(IPanopticonClient client, int maxQueueSize, PanopticonHealthCheckOptions options, TimeProvider time) : IHealthCheck
{
    private const double FullRatio = 0.8;
    private readonly DateTimeOffset _createdAt = time.GetUtcNow(); // stands in for the last success until there is one
    private readonly object _gate = new();
    private long _lossesSeen; // dropped + failed at the previous check
    private DateTimeOffset? _lossSeenAt; // when a check last saw that count grow

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var statistics = client.Statistics;
        var buffered = client.BufferSize;
        var now = time.GetUtcNow();
        var data = Data(statistics, buffered);
        // Records the application's own filter hooks left out are its choice, not a loss.
        var lost = statistics.Dropped - statistics.DroppedByReason.GetValueOrDefault("filtered") + statistics.Failed;
        var lastLoss = Latest(SeeLosses(lost, now), statistics.LastFailureAt);

        if (statistics.LastFailureKind == PanopticonFailureKind.ApiKeyRejected && statistics.LastFailureAt > (statistics.LastSuccessAt ?? DateTimeOffset.MinValue))
        {
            return Result(context.Registration.FailureStatus, "The Panopticon Producer rejects the API key.", data);
        }

        var waiting = now - (statistics.LastSuccessAt ?? _createdAt);
        if (buffered > 0 && waiting > options.UnhealthyAfter)
        {
            return Result(context.Registration.FailureStatus, $"{buffered} records wait and no batch was accepted for {waiting.TotalSeconds:0} s.", data);
        }

        if (lastLoss is { } loss && now - loss < options.DegradedWindow)
        {
            return Result(HealthStatus.Degraded, $"Records were dropped or failed in the last {options.DegradedWindow.TotalMinutes:0.#} minutes ({statistics.Dropped} dropped, {statistics.Failed} failed in all).", data);
        }

        if (buffered > maxQueueSize * FullRatio)
        {
            return Result(HealthStatus.Degraded, $"{buffered} records buffered, over 80 % of MaxQueueSize ({maxQueueSize}).", data);
        }

        return Result(HealthStatus.Healthy, null, data);
    }

    private static Task<HealthCheckResult> Result(HealthStatus status, string? description, IReadOnlyDictionary<string, object> data) =>
        Task.FromResult(new HealthCheckResult(status, description, exception: null, data));

    /// <summary>Remembers when the loss count last grew: the counters say how many, not when.</summary>
    private DateTimeOffset? SeeLosses(long losses, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (losses > _lossesSeen)
            {
                _lossesSeen = losses;
                _lossSeenAt = now;
            }

            return _lossSeenAt;
        }
    }

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a > b || b is null ? a : b;

    private static Dictionary<string, object> Data(PanopticonStatistics statistics, int buffered)
    {
        var data = new Dictionary<string, object>
        {
            ["accepted"] = statistics.Accepted,
            ["sent"] = statistics.Sent,
            ["failed"] = statistics.Failed,
            ["dropped"] = statistics.Dropped,
            ["retried"] = statistics.Retried,
            ["batches"] = statistics.Batches,
            ["bytes"] = statistics.Bytes,
            ["buffer_size"] = buffered,
            ["stored_batches"] = statistics.StoredBatches,
            ["stored_bytes"] = statistics.StoredBytes,
        };
        foreach (var (reason, count) in statistics.DroppedByReason)
        {
            data[$"dropped_{reason}"] = count;
        }

        if (statistics.LastSuccessAt is { } success)
        {
            data["last_success_at"] = success.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        }

        if (statistics.LastFailureAt is { } failure)
        {
            data["last_failure_at"] = failure.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
            data["last_failure_kind"] = statistics.LastFailureKind?.ToString() ?? "";
        }

        return data;
    }
}
