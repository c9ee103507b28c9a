namespace Panopticon.Sdk.Transport;

/// <summary>Registered in DI to replace the HTTP transport (the in-memory sink, tests).</summary>
internal sealed class TransportOverride(ITelemetryTransport transport)
{
    public ITelemetryTransport Transport { get; } = transport;
}
