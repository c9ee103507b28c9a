using System.Diagnostics.Tracing;

namespace Panopticon.Sdk;

/// <summary>
/// The SDK's own diagnostics (<c>dotnet-trace</c>/<c>EventListener</c> name <c>Panopticon-Sdk</c>).
/// Events carry status codes, counts and exception type names only: never an API key, header or payload.
/// </summary>
[EventSource(Name = "Panopticon-Sdk")]
internal sealed class PanopticonEventSource : EventSource
{
    public static readonly PanopticonEventSource Log = new();

    [Event(1, Level = EventLevel.Warning, Message = "The endpoint rejected a {0} batch of {1} records with HTTP {2}; it is not retried.")]
    public void BatchRejected(string signal, int records, int statusCode) => WriteEvent(1, signal, records, statusCode);

    [Event(2, Level = EventLevel.Warning, Message = "A {0} batch of {1} records was given up after retries: {2}.")]
    public void BatchGivenUp(string signal, int records, string reason) => WriteEvent(2, signal, records, reason);

    [Event(3, Level = EventLevel.Informational, Message = "Retrying a {0} batch (attempt {1}) after {2}.")]
    public void BatchRetried(string signal, int attempt, string reason) => WriteEvent(3, signal, attempt, reason);

    [Event(4, Level = EventLevel.Warning, Message = "{1} {0} records were dropped ({2}).")]
    public void RecordsDropped(string signal, long count, string reason) => WriteEvent(4, signal, count, reason);

    [Event(5, Level = EventLevel.Error, Message = "A record could not be serialized ({0}); it was dropped.")]
    public void RecordUnserializable(string exceptionType) => WriteEvent(5, exceptionType);

    [Event(6, Level = EventLevel.Error, Message = "Internal error in {0}: {1}.")]
    public void InternalError(string where, string exceptionType) => WriteEvent(6, where, exceptionType);

    [Event(7, Level = EventLevel.Informational, Message = "Shutdown finished: {0} records still pending were dropped.")]
    public void ShutdownCompleted(long droppedRecords) => WriteEvent(7, droppedRecords);

    [Event(8, Level = EventLevel.Warning, Message = "A {0} hook threw {1}; the record was sent without the hooks' changes. Later failures are only counted (PanopticonStatistics.HookFailures).")]
    public void HookFailed(string signal, string exceptionType) => WriteEvent(8, signal, exceptionType);
}
