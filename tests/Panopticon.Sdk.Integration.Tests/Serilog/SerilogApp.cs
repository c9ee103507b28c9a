using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
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
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Panopticon:ApiKey"] = "test-key",
            ["Panopticon:Endpoint"] = producer.Url,
            ["Panopticon:ServiceName"] = "orders",
            ["Panopticon:Compression"] = "None",
            ["Panopticon:MaxValueLength"] = "256",
            // The WireMock Producer is an ASP.NET Core server in this same process: its requests are not the app's.
            ["Panopticon:IgnoredPaths:0"] = "/sdk",
        });
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

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var client = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = new Uri(address) };
        return new SerilogApp(app, client, producer, console);
    }

    /// <summary>Flushes until the server span of <c>GET {path}</c> has arrived (it ends just after the response). Bounded.</summary>
    public async Task<JsonElement> GetAndFlushAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        response.EnsureSuccessStatusCode();
        var client = Services.GetRequiredService<IPanopticonClient>();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var result = await client.FlushAsync();
            Assert.True(result.Succeeded, result.ToString());
            if (Producer.Spans.FirstOrDefault(s => s.Str("kind") == "SERVER" && s.Str("http_path") == path) is { ValueKind: JsonValueKind.Object } span)
            {
                return span;
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), $"no server span for {path} within 10 s");
            await Task.Delay(10);
        }
    }

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
