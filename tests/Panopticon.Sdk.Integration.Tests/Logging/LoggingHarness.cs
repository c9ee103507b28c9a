using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Panopticon.Sdk.Testing;

namespace Panopticon.Sdk.Integration.Tests.Logging;

/// <summary>A container with the core on an in-memory sink and log tracking; disposed by the test.</summary>
internal sealed class LoggingHarness : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    public LoggingHarness(Action<PanopticonOptions>? configure = null, Action<ILoggingBuilder>? logging = null, Action<IPanopticonBuilder>? panopticon = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(builder =>
        {
            builder.SetMinimumLevel(LogLevel.Trace);
            logging?.Invoke(builder);
        });
        var panopticonBuilder = services.AddPanopticon(options =>
        {
            options.ServiceName = "logging-tests";
            configure?.Invoke(options);
        }).UseInMemorySink(Sink).AddLogTracking();
        panopticon?.Invoke(panopticonBuilder);
        _provider = services.BuildServiceProvider();
    }

    public InMemoryPanopticonSink Sink { get; } = new();

    public ILoggerFactory Factory => _provider.GetRequiredService<ILoggerFactory>();

    public ILogger Logger(string category) => Factory.CreateLogger(category);

    public static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    public async Task<IReadOnlyList<System.Text.Json.JsonElement>> FlushLogsAsync()
    {
        var result = await _provider.GetRequiredService<IPanopticonClient>().FlushAsync();
        Assert.True(result.Completed);
        return Sink.Logs;
    }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
