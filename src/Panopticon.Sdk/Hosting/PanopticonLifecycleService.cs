using Microsoft.Extensions.Hosting;

namespace Panopticon.Sdk.Hosting;

/// <summary>
/// Ties the client to the host: it is created when the host starts (if nothing created it earlier), and
/// flushed in <see cref="StoppedAsync"/>, i.e. after the web server has drained its in-flight requests.
/// The final stop happens when the container disposes the client.
/// </summary>
internal sealed class PanopticonLifecycleService(PanopticonClient client) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => client.FlushForShutdownAsync(cancellationToken);
}
