namespace Panopticon.Sdk;

/// <summary>
/// The SDK's handle for the application: force delivery, see what is pending, read the counters.
/// Resolve it from DI (<c>GetRequiredService&lt;IPanopticonClient&gt;()</c>) or create one with <see cref="PanopticonClient.Create(Action{PanopticonOptions})"/>.
/// No member throws into the application.
/// </summary>
public interface IPanopticonClient : IAsyncDisposable, IDisposable
{
    /// <summary>Records accepted and not yet acknowledged by the endpoint, failed or dropped.</summary>
    int BufferSize { get; }

    /// <summary>A snapshot of the counters: accepted, sent, failed, dropped by reason, retried, batches, bytes.</summary>
    PanopticonStatistics Statistics { get; }

    /// <summary>
    /// Sends everything buffered now and completes when every record enqueued before the call has been
    /// acknowledged by the endpoint, has finally failed, or was dropped. Cancelling the token stops the wait
    /// (not the delivery) and returns a result with <see cref="FlushResult.Completed"/> <see langword="false"/>.
    /// While the endpoint is unreachable or failing, batches are held rather than given up, so the flush waits until
    /// it answers: pass a token to bound the wait.
    /// </summary>
    Task<FlushResult> FlushAsync(CancellationToken cancellationToken = default);
}
