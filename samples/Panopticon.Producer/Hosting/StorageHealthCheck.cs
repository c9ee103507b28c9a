using Microsoft.Extensions.Diagnostics.HealthChecks;
using Panopticon.Producer.Storage;

namespace Panopticon.Producer.Hosting;

/// <summary>Healthy when the store answers a trivial query.</summary>
internal sealed class StorageHealthCheck(ITelemetryStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.PingAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("storage reachable");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("storage unreachable", ex);
        }
    }
}
