using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Panopticon.Sdk.Integration.Tests.Support;
using Panopticon.Sdk.Testing;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace Panopticon.Sdk.Integration.Tests.Serilog;

/// <summary>A container with the core on an in-memory sink, and Serilog loggers writing to it through the Panopticon sink.</summary>
internal sealed class SerilogHarness : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly List<Logger> _loggers = [];

    public SerilogHarness(Action<PanopticonOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddPanopticon(options =>
        {
            options.ServiceName = "serilog-tests";
            configure?.Invoke(options);
        }).UseInMemorySink(Sink);
        _provider = services.BuildServiceProvider();
    }

    public InMemoryPanopticonSink Sink { get; } = new();

    public IPanopticonClient Client => _provider.GetRequiredService<IPanopticonClient>();

    /// <summary>Builds the container's <c>TracerProvider</c> (a host would at start), so spans are traced and sampled.</summary>
    public void StartTracing() => _provider.GetRequiredService<OpenTelemetry.Trace.TracerProvider>();

    public Logger Logger(Func<LoggerConfiguration, LoggerConfiguration>? configure = null, LogEventLevel restrictedToMinimumLevel = LevelAlias.Minimum)
    {
        var configuration = new LoggerConfiguration().WriteTo.Panopticon(_provider, restrictedToMinimumLevel);
        var logger = (configure?.Invoke(configuration) ?? configuration).CreateLogger();
        _loggers.Add(logger);
        return logger;
    }

    /// <summary>Flushes and returns the application's logs (without the SDK's own drop reports).</summary>
    public async Task<IReadOnlyList<JsonElement>> FlushAsync()
    {
        var result = await Client.FlushAsync();
        Assert.True(result.Completed);
        return [.. Sink.Logs.Where(l => !l.Str("message")!.StartsWith("Panopticon SDK dropped", StringComparison.Ordinal))];
    }

    public async ValueTask DisposeAsync()
    {
        _loggers.ForEach(l => l.Dispose());
        await _provider.DisposeAsync();
    }
}
