using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Panopticon.Sdk.Transport;

namespace Panopticon.Sdk.Benchmarks.Support;

/// <summary>
/// The services of an app monitored by Panopticon whose batches are serialized in full and then discarded (or, with
/// <see cref="Exporting"/>, sent to an endpoint).
/// </summary>
internal static class DiscardingApp
{
    public static ServiceCollection Services(Action<PanopticonOptions>? configure = null) =>
        Build("http://127.0.0.1:9", configure, new DiscardTransport());

    /// <summary>The same app sending its batches over HTTP to <paramref name="endpoint"/>.</summary>
    public static ServiceCollection Exporting(string endpoint, Action<PanopticonOptions>? configure = null) =>
        Build(endpoint, configure, transport: null);

    private static ServiceCollection Build(string endpoint, Action<PanopticonOptions>? configure, ITelemetryTransport? transport)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Information));
        if (transport is not null)
        {
            services.AddSingleton(new TransportOverride(transport));
        }

        services.AddPanopticon(options =>
        {
            options.ApiKey = "benchmark";
            options.Endpoint = endpoint;
            options.ServiceName = "benchmark";
            configure?.Invoke(options);
        }).AddLogTracking();
        return services;
    }
}
