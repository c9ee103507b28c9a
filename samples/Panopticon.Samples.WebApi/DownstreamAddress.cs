using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Panopticon.Samples.WebApi;

/// <summary>
/// Where the inventory service lives: <c>Downstream:BaseUrl</c> when configured, else this app's own address
/// (the inventory endpoints are part of this app, so the demo runs as one process, even on a random port).
/// </summary>
internal static class DownstreamAddress
{
    public static Uri Resolve(IServiceProvider services)
    {
        var configured = services.GetRequiredService<IConfiguration>()["Downstream:BaseUrl"];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new Uri(configured.TrimEnd('/') + "/");
        }

        var addresses = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var own = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Set Downstream:BaseUrl: the server has no address yet.");

        // "http://+:5000", "http://*:5000", "http://0.0.0.0:5000" and "http://[::]:5000" listen everywhere; call loopback.
        var uri = new UriBuilder(own.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]")
        {
            uri.Host = "localhost";
        }

        uri.Path = "/";
        return uri.Uri;
    }
}
