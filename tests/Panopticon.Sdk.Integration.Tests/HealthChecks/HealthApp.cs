using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Panopticon.Sdk.AspNetCore;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Panopticon.Sdk.Integration.Tests.HealthChecks;

/// <summary>
/// A web app with <c>AddHealthChecks().AddPanopticon()</c> behind <c>/health</c>, which writes the report as JSON the
/// way applications commonly do; the Producer is WireMock answering <see cref="ProducerStatus"/>.
/// </summary>
internal sealed class HealthApp : IAsyncDisposable
{
    public const string ApiKey = "health-check-secret-key";

    private readonly WebApplication _app;
    private readonly WireMockServer _producer;

    private HealthApp(WebApplication app, WireMockServer producer)
    {
        _app = app;
        _producer = producer;
    }

    /// <summary>What the Producer answers to every batch.</summary>
    public int ProducerStatus { get; set; } = 202;

    public HttpClient Client { get; private set; } = null!;

    public IPanopticonClient Panopticon => _app.Services.GetRequiredService<IPanopticonClient>();

    public ILogger Logger => _app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Worker");

    public static async Task<HealthApp> StartAsync(
        int producerStatus = 202,
        TimeProvider? time = null,
        Action<PanopticonOptions>? configure = null,
        Action<PanopticonHealthCheckOptions>? health = null,
        Action<IPanopticonBuilder>? panopticon = null)
    {
        var producer = WireMockServer.Start();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        var monitoring = builder.Services.AddPanopticonMonitoring(o =>
        {
            o.ApiKey = ApiKey;
            o.Endpoint = producer.Url!;
            o.Compression = PanopticonCompression.None;
            o.MaxRetryAttempts = 0;
            o.IgnoredPaths = ["/health", "/sdk"]; // WireMock runs in this process: its requests are seen too
            configure?.Invoke(o);
        });
        panopticon?.Invoke(monitoring);
        builder.Services.AddHealthChecks().AddPanopticon(health);

        var app = builder.Build();
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteJsonAsync });
        var result = new HealthApp(app, producer) { ProducerStatus = producerStatus };
        producer.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithCallback(_ => new ResponseMessage { StatusCode = result.ProducerStatus }));
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        result.Client = new HttpClient { BaseAddress = new Uri(address) };
        return result;
    }

    /// <summary>Asks <c>/health</c>; returns the HTTP status and the JSON text of the report.</summary>
    public async Task<(int Status, string Json)> GetHealthAsync()
    {
        using var response = await Client.GetAsync("/health");
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _producer.Stop();
    }

    private static Task WriteJsonAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
        });
    }
}
