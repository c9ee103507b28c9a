using Panopticon.Sdk.Transport;

namespace Panopticon.Sdk.Benchmarks.Support;

/// <summary>
/// Never answers (until shutdown cancels it): the export loop parks on its first request, so a benchmark measures the
/// calling thread alone, without the export thread competing for the same two cores. The queue fills and then drops
/// its oldest record on every write, the path an application takes during an outage.
/// </summary>
internal sealed class StalledTransport : ITelemetryTransport
{
    public async ValueTask<TransportResponse> SendAsync(ExportRequest request, CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        return new TransportResponse(202);
    }

    public void Dispose()
    {
    }
}
