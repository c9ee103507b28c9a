using System.Net;
using System.Net.Sockets;

namespace Panopticon.Sdk.Benchmarks.Support;

/// <summary>
/// A loopback address where nothing listens (a port taken from the system and released at once): connections are
/// refused, as when the Producer or collector is down. The outage rows point every SDK here.
/// </summary>
internal static class ClosedPort
{
    private static readonly Lazy<string> Url = new(() =>
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}";
    });

    /// <summary><c>http://127.0.0.1:{port}</c>, the same port for the whole run.</summary>
    public static string BaseUrl => Url.Value;
}
