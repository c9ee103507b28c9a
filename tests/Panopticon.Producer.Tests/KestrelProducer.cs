using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Panopticon.Producer.Hosting;

namespace Panopticon.Producer.Tests;

/// <summary>
/// The Producer on a real Kestrel loopback port, started from command-line arguments exactly as an out-of-process
/// launcher would pass them; for clients that need a socket (a browser, raw HTTP).
/// </summary>
internal sealed class KestrelProducer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _directory;

    private KestrelProducer(WebApplication app, string directory, Uri address)
    {
        _app = app;
        _directory = directory;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<KestrelProducer> StartAsync(params string[] extraArgs)
    {
        var directory = Path.Combine(Path.GetTempPath(), "panopticon-producer-tests", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(directory);
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            "--environment", "Testing",
            $"--Producer:ApiKeys:0={ProducerFactory.Key}",
            $"--Producer:Storage:Path={Path.Combine(directory, "producer.db")}",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning",
            .. extraArgs,
        ];
        var app = ProducerApplication.Create(args);
        await app.StartAsync();
        var address = new Uri(app.Urls.Single(u => u.StartsWith("http://127.0.0.1:", StringComparison.Ordinal)));
        return new KestrelProducer(app, directory, address);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort cleanup of a temp folder.
        }
    }
}
