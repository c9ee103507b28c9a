using Panopticon.Sdk.Engine;
using Panopticon.Sdk.Transport;

namespace Panopticon.Sdk.Tests.Support;

/// <summary>A transport whose answers the test scripts; used where a real server cannot hold a request still on cue.</summary>
internal sealed class ScriptedTransport(Func<ExportRequest, CancellationToken, Task<TransportResponse>> respond) : ITelemetryTransport
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public List<(TelemetrySignal Signal, int Records)> Received { get; } = [];

    public async ValueTask<TransportResponse> SendAsync(ExportRequest request, CancellationToken cancellationToken)
    {
        lock (Received)
        {
            Received.Add((request.Signal, request.RecordCount));
        }

        Interlocked.Increment(ref _calls);
        return await respond(request, cancellationToken);
    }

    public void Dispose()
    {
    }
}
