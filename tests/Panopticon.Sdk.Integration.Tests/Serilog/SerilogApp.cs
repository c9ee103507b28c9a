using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Panopticon.Sdk.Integration.Tests.Support;
using Serilog.Core;
using Serilog.Events;

namespace Panopticon.Sdk.Integration.Tests.Serilog;

/// <summary>
/// A web app that logs through Serilog (Serilog.AspNetCore's <c>UseSerilog</c>), monitored with
/// <c>AddPanopticonMonitoring</c>, on Kestrel at a loopback port, sending to a WireMock Producer. What Serilog's other
/// sinks would print (the console) is kept in <see cref="Console"/>.
/// </summary>
internal sealed class SerilogApp : IAsyncDisposable
{
    public const string Category = "Orders.Api";

    private readonly WebApplication _app;

    private SerilogApp(WebApplication app, HttpClient client, ProducerStub producer, ConsoleEvents console)
    {
        _app = app;
        Client = client;
        Producer = producer;
        Console = console;
    }

    public HttpClient Client { get; }

    public ProducerStub Producer { get; }

    /// <summary>The events Serilog wrote to its other sink, as the console would show them.</summary>
    public ConsoleEvents Console { get; }

    public IServiceProvider Services => _app.Services;

    /// <param name="useSerilog">Wires Serilog into the builder; gets the sink standing for the console.</param>
    /// <param name="panopticon">Chained on <c>AddPanopticonMonitoring(...)</c> (e.g. <c>AddSerilog()</c>).</param>
    public static async Task<SerilogApp> StartAsync(Action<WebApplicationBuilder, ILogEventSink> useSerilog, Action<IPanopticonBuilder>? panopticon = null)
    {
        var producer = new ProducerStub();
        var console = new ConsoleEvents();
        var builder = LoopbackApp.CreateBuilder(producer, "orders", "/sdk");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Panopticon:MaxValueLength"] = "256" });
        var monitoring = builder.Services.AddPanopticonMonitoring(builder.Configuration);
        panopticon?.Invoke(monitoring);
        useSerilog(builder, console);

        var app = builder.Build();
        app.MapGet("/orders/{id:int}", (int id, ILoggerFactory loggers) =>
        {
            var logger = loggers.CreateLogger(Category);
            logger.LogInformation("Fetching order {OrderId}", id);
            logger.LogInformation("Order {OrderId} belongs to {Customer}", id, "Ada");
            logger.LogInformation(new EventId(42, "OrderServed"), "Served order {OrderId}", id);
            return Results.Ok(new { id });
        });
        await app.StartAsync();

        return new SerilogApp(app, LoopbackApp.ClientOf(app), producer, console);
    }

    /// <summary>Flushes until the server span of <c>GET {path}</c> has arrived (it ends just after the response). Bounded.</summary>
    public async Task<JsonElement> GetAndFlushAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        response.EnsureSuccessStatusCode();
        var spans = await LoopbackApp.FlushUntilAsync(Services, Producer, spans => spans.Any(s => IsServerSpanOf(s, path)), $"the server span of {path}");
        return spans.First(s => IsServerSpanOf(s, path));
    }

    private static bool IsServerSpanOf(JsonElement span, string path) => span.Str("kind") == "SERVER" && span.Str("http_path") == path;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Producer.Dispose();
    }
}

/// <summary>A Serilog sink standing for the console: keeps every event it is given.</summary>
internal sealed class ConsoleEvents : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyList<LogEvent> Events => [.. _events];

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);
}
