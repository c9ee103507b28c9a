using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Panopticon.Sdk;
using Panopticon.Sdk.AspNetCore;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Panopticon SDK's own health to ASP.NET Core health checks.</summary>
public static class PanopticonHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a check of the Panopticon SDK itself: Healthy while the Producer accepts batches; Degraded when records
    /// were dropped or batches failed within <see cref="PanopticonHealthCheckOptions.DegradedWindow"/>, or more than
    /// 80 % of <c>MaxQueueSize</c> records are buffered; Unhealthy (or <paramref name="failureStatus"/>) when the API key
    /// is rejected or records have waited longer than <see cref="PanopticonHealthCheckOptions.UnhealthyAfter"/> without
    /// an accepted batch. Its data holds the counters. It reads the SDK's state only: no network call, no API key.
    /// </summary>
    public static IHealthChecksBuilder AddPanopticon(
        this IHealthChecksBuilder builder,
        Action<PanopticonHealthCheckOptions>? configure = null,
        string name = "panopticon",
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var options = new PanopticonHealthCheckOptions();
        configure?.Invoke(options);
        RequirePositive(nameof(options.DegradedWindow), options.DegradedWindow);
        RequirePositive(nameof(options.UnhealthyAfter), options.UnhealthyAfter);

        // One instance per registration: it remembers when it last saw losses grow.
        builder.Services.AddKeyedSingleton(name, (services, _) => new PanopticonHealthCheck(
            services.GetRequiredService<IPanopticonClient>(),
            services.GetRequiredService<IOptions<PanopticonOptions>>().Value.MaxQueueSize,
            options,
            services.GetService<TimeProvider>() ?? TimeProvider.System));
        return builder.Add(new HealthCheckRegistration(
            name,
            services => services.GetRequiredKeyedService<PanopticonHealthCheck>(name),
            failureStatus,
            tags));
    }

    private static void RequirePositive(string option, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException("configure", value, $"PanopticonHealthCheckOptions.{option} must be positive.");
        }
    }
}
