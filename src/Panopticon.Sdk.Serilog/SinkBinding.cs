using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Panopticon.Sdk.Serilog;

/// <summary>
/// Connects a sink made before the host (<c>AddSerilog(sink)</c>) to the container's client when the host starts, in
/// case Serilog's <c>ReadFrom.Services</c> did not resolve it earlier. Before the startup check, which runs once every
/// hosted service has started.
/// </summary>
internal sealed class SinkBinding(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        services.GetService<PanopticonSink>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
