namespace Panopticon.Sdk.Transport;

/// <summary>
/// Delivers one request. The seam between batching and the wire: HTTP today, an in-memory sink in tests,
/// and later a durable disk spool or OTLP. Implementations throw only for transport failures.
/// </summary>
internal interface ITelemetryTransport : IDisposable
{
    ValueTask<TransportResponse> SendAsync(ExportRequest request, CancellationToken cancellationToken);
}
