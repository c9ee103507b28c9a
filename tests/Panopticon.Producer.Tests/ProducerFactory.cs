using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Panopticon.Producer.Tests;

/// <summary>The Producer in-process (TestServer) with its own temporary SQLite file and test settings.</summary>
public sealed class ProducerFactory : WebApplicationFactory<Program>
{
    public const string Key = "test-key-1";
    public const string OtherKey = "test-key-2";

    private readonly Dictionary<string, string?> _settings;
    private readonly TimeProvider? _time;
    private readonly Action<IServiceCollection>? _configureServices;

    public ProducerFactory()
        : this(new Dictionary<string, string?>())
    {
    }

    // Internal so xunit sees one public constructor when this is a class fixture.
    internal ProducerFactory(Dictionary<string, string?> settings, TimeProvider? time = null, Action<IServiceCollection>? configureServices = null)
    {
        Directory = Path.Combine(Path.GetTempPath(), "panopticon-producer-tests", Guid.NewGuid().ToString("n"));
        System.IO.Directory.CreateDirectory(Directory);
        DatabasePath = Path.Combine(Directory, "producer.db");
        _settings = new Dictionary<string, string?>
        {
            ["Producer:ApiKeys:0"] = Key,
            ["Producer:ApiKeys:1"] = OtherKey,
            ["Producer:Storage:Path"] = DatabasePath,
        };
        foreach (var (key, value) in settings)
        {
            _settings[key] = value;
        }

        _time = time;
        _configureServices = configureServices;
    }

    public string Directory { get; }

    public string DatabasePath { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(_settings));
        if (_time is not null)
        {
            builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton(_time)));
        }

        if (_configureServices is not null)
        {
            builder.ConfigureServices(_configureServices);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            SqliteConnection.ClearAllPools();
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a temp folder left behind does not affect other tests.
            }
        }
    }
}
