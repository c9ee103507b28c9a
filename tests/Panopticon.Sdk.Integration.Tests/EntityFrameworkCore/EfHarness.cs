using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Panopticon.Sdk.Integration.Tests.EndToEnd;
using Panopticon.Sdk.Testing;

namespace Panopticon.Sdk.Integration.Tests.EntityFrameworkCore;

/// <summary>Core on an in-memory sink with <c>AddEntityFrameworkCore()</c>, a SQLite database and a test activity source.</summary>
internal sealed class EfHarness : IAsyncDisposable
{
    public const string TestSourceName = "Panopticon.Tests.Ef";

    private readonly ServiceProvider _provider;
    private readonly SqliteConnection _connection = new("DataSource=:memory:");

    public EfHarness(Action<PanopticonOptions>? configure = null)
    {
        _connection.Open();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddPanopticon(o =>
        {
            o.ServiceName = "ef-tests";
            configure?.Invoke(o);
        }).UseInMemorySink(Sink).AddEntityFrameworkCore();
        services.AddOpenTelemetry().WithTracing(t => t.AddSource(TestSourceName));
        services.AddDbContext<OrdersDb>(o => o.UseSqlite(_connection));
        _provider = services.BuildServiceProvider();
        _provider.GetRequiredService<TracerProvider>(); // no host here: building the provider starts the listening
        using var scope = _provider.CreateScope();
        scope.ServiceProvider.GetRequiredService<OrdersDb>().Database.EnsureCreated();
    }

    public InMemoryPanopticonSink Sink { get; } = new();

    public ActivitySource Source { get; } = new(TestSourceName);

    public OrdersDb CreateDb() => _provider.CreateScope().ServiceProvider.GetRequiredService<OrdersDb>();

    /// <summary>Delivers what earlier work (schema creation, seeding) produced, then forgets it.</summary>
    public async Task ResetAsync()
    {
        await FlushSpansAsync();
        Sink.Clear();
    }

    public async Task<IReadOnlyList<JsonElement>> FlushSpansAsync()
    {
        Assert.True((await _provider.GetRequiredService<IPanopticonClient>().FlushAsync()).Completed);
        return Sink.Spans;
    }

    public async Task<IReadOnlyList<JsonElement>> DbSpansAsync() =>
        [.. (await FlushSpansAsync()).Where(s => s.GetProperty("labels").TryGetProperty("db_system", out _))];

    public async ValueTask DisposeAsync()
    {
        Source.Dispose();
        await _provider.DisposeAsync();
        _connection.Dispose();
    }
}
