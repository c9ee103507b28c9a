using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Panopticon.Sdk.Serilog;

/// <summary>
/// Connects a sink made before the host (<c>AddSerilog(sink)</c>) to the container's client as the host starts,
/// before any hosted service's <c>StartAsync</c>, in case nothing resolved it earlier.
/// </summary>
internal sealed class SinkBinding(IServiceProvider services) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        services.GetService<PanopticonSink>();
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
