using Microsoft.Extensions.Logging;
using Sentry;
using Sentry.Extensions.Logging;

namespace Panopticon.Sdk.Benchmarks.Support;

/// <summary>
/// Sentry's settings in every benchmark: its defaults, plus what makes it do the same job as the other SDKs and no
/// other. Structured logs on (<c>EnableLogs</c>), every trace sampled (<c>TracesSampleRate = 1</c>), and backpressure
/// handling off, which would otherwise lower the sample rate while the benchmark keeps its queue full. Breadcrumbs off:
/// they keep each log line in memory to attach to a later error event, a job no other contender does (no line here is
/// an error, so no event is ever sent). The DSN points at loopback only: a sink, a closed port, or (with
/// <paramref name="handler"/>) nowhere at all.
/// </summary>
internal static class SentryContender
{
    public static void Configure(SentryOptions options, string baseUrl, HttpMessageHandler? handler = null)
    {
        var uri = new Uri(baseUrl);
        options.Dsn = $"http://benchmark@{uri.Host}:{uri.Port}/1"; // envelopes go to {baseUrl}/api/1/envelope/
        options.EnableLogs = true;
        options.TracesSampleRate = 1.0;
        options.EnableBackpressureHandling = false;
        options.AutoSessionTracking = false;
        options.Environment = "benchmark";
        options.Release = "benchmark@1.0.0";
        if (handler is not null)
        {
            options.CreateHttpMessageHandler = () => handler;
        }
    }

    /// <summary><see cref="Configure"/> for Sentry's logger provider (and Sentry.AspNetCore), breadcrumbs off.</summary>
    public static void ConfigureLogging(SentryLoggingOptions options, string baseUrl, HttpMessageHandler? handler = null)
    {
        Configure(options, baseUrl, handler);
        options.MinimumBreadcrumbLevel = LogLevel.None;
    }
}
