using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Panopticon.Sdk.Transport;

namespace Panopticon.Sdk.Benchmarks.Support;

/// <summary>The services of an app monitored by Panopticon whose batches are serialized in full and then discarded.</summary>
internal static class DiscardingApp
{
    public static ServiceCollection Services(Action<PanopticonOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Information));
        services.AddSingleton(new TransportOverride(new DiscardTransport()));
        services.AddPanopticon(options =>
        {
            options.ApiKey = "benchmark";
            options.Endpoint = "http://127.0.0.1:9";
            options.ServiceName = "benchmark";
            configure?.Invoke(options);
        }).AddLogTracking();
        return services;
    }
}
