using Panopticon.Producer.Storage;

namespace Panopticon.Producer.Query;

internal sealed record LatencyStats(
    string ServiceName,
    string? Endpoint,
    int RequestCount,
    int ErrorCount,
    double ErrorRate,
    double P50Ms,
    double P95Ms,
    double P99Ms);

internal sealed record StatsReport(
    int WindowMinutes,
    DateTime From,
    DateTime To,
    IReadOnlyList<LatencyStats> Services,
    IReadOnlyList<LatencyStats> Endpoints);

/// <summary>Request count, error rate and latency percentiles of SERVER spans, per service and per endpoint (span name).</summary>
internal static class StatsCalculator
{
    public static StatsReport Compute(IReadOnlyList<ServerSpanSample> samples, int windowMinutes, DateTimeOffset from, DateTimeOffset to)
    {
        var services = samples
            .GroupBy(s => s.ServiceName, StringComparer.Ordinal)
            .Select(g => Summarize(g.Key, null, g))
            .OrderByDescending(s => s.RequestCount).ThenBy(s => s.ServiceName, StringComparer.Ordinal)
            .ToList();

        var endpoints = samples
            .GroupBy(s => (s.ServiceName, s.Name))
            .Select(g => Summarize(g.Key.ServiceName, g.Key.Name, g))
            .OrderByDescending(s => s.RequestCount).ThenBy(s => s.ServiceName, StringComparer.Ordinal).ThenBy(s => s.Endpoint, StringComparer.Ordinal)
            .ToList();

        return new StatsReport(windowMinutes, from.UtcDateTime, to.UtcDateTime, services, endpoints);
    }

    /// <summary>Nearest-rank percentile of an ascending array: the smallest value with at least p% of values at or below it.</summary>
    public static double Percentile(double[] sorted, double percent)
    {
        if (sorted.Length == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(percent / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }

    private static LatencyStats Summarize(string service, string? endpoint, IEnumerable<ServerSpanSample> group)
    {
        var items = group.ToList();
        var durations = items.Select(s => s.DurationMs).Order().ToArray();
        var errors = items.Count(s => s.IsError);
        return new LatencyStats(
            service,
            endpoint,
            items.Count,
            errors,
            Math.Round((double)errors / items.Count, 4),
            Math.Round(Percentile(durations, 50), 3),
            Math.Round(Percentile(durations, 95), 3),
            Math.Round(Percentile(durations, 99), 3));
    }
}
