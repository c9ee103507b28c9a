using Panopticon.Sdk.Transport;

namespace Panopticon.Sdk.Benchmarks.Support;

/// <summary>Accepts every request at once, as a 202 would: isolates the SDK's own cost from the network.</summary>
internal sealed class DiscardTransport : ITelemetryTransport
{
    public ValueTask<TransportResponse> SendAsync(ExportRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new TransportResponse(202, BodyBytes: request.Json.Length));

    public void Dispose()
    {
    }
}
