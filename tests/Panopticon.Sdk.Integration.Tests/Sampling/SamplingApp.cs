using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;
using Panopticon.Sdk.Integration.Tests.Support;
using Panopticon.Sdk.Sampling;
using Panopticon.Sdk.Testing;

namespace Panopticon.Sdk.Integration.Tests.Sampling;

/// <summary>
/// A web app on Kestrel (loopback, port 0) monitored with <c>AddPanopticonMonitoring</c> into an in-memory sink, with
/// sampling draws from a seeded source. <c>GET /orders/{id}</c> logs, calls the downstream stub once and answers with the
/// trace id it ran in; <c>?fail=server</c> answers 500, <c>?fail=downstream</c> calls the stub's failing <c>/fail</c>
/// (the request itself still answers 200).
/// </summary>
internal sealed class SamplingApp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ActivityListener _requestsEnded;
    private int _requestsEndedCount;

    private SamplingApp(WebApplication app, DownstreamStub downstream, InMemoryPanopticonSink sink)
    {
        _app = app;
        Downstream = downstream;
        Sink = sink;
        Client = LoopbackApp.ClientOf(app);

        // Added after the app's TracerProvider, so it hears of a request's end after Panopticon's processor has handled it.
        _requestsEnded = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.None,
            ActivityStopped = activity =>
            {
                if (activity.Kind == ActivityKind.Server)
                {
                    Interlocked.Increment(ref _requestsEndedCount);
                }
            },
        };
        ActivitySource.AddActivityListener(_requestsEnded);
    }

    /// <summary>Server requests whose activity has ended, the app's and the downstream stub's (it runs in this process).</summary>
    public int RequestsEnded => Volatile.Read(ref _requestsEndedCount);

    public InMemoryPanopticonSink Sink { get; }

    public DownstreamStub Downstream { get; }

    public HttpClient Client { get; }

    public PanopticonClient Panopticon => (PanopticonClient)_app.Services.GetRequiredService<IPanopticonClient>();

    public TraceSampling Sampling => Panopticon.Sampling!;

    public static async Task<SamplingApp> StartAsync(Action<PanopticonOptions> configure, int seed = 20261130, bool alwaysOnSampler = false)
    {
        var downstream = new DownstreamStub();
        var sink = new InMemoryPanopticonSink();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft"] = "Warning",
            ["Logging:LogLevel:System.Net.Http"] = "Warning",
        });

        var random = new Random(seed);
        builder.Services.AddSingleton(new SamplingRandom(() =>
        {
            lock (random)
            {
                return random.NextDouble();
            }
        }));
        if (alwaysOnSampler)
        {
            // The application records every span whatever its caller says (for its own exporters).
            builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.SetSampler(new AlwaysOnSampler()));
        }

        builder.Services.AddPanopticonMonitoring(o =>
        {
            o.ServiceName = "orders";
            o.IgnoredPaths.Add("/inventory"); // the downstream stub runs in this process: its server spans are not the app's
            o.IgnoredPaths.Add("/fail");
            configure(o);
        }).UseInMemorySink(sink);
        builder.Services.AddHttpClient("inventory", client => client.BaseAddress = new Uri(downstream.Url));

        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Orders"); // Panopticon.Sdk.* categories are never sent
        app.MapGet("/orders/{id}", async (string id, string? fail, IHttpClientFactory http) =>
        {
            logger.LogInformation("Loading order {OrderId}", id);
            using var inventory = await http.CreateClient("inventory").GetAsync(fail == "downstream" ? "/fail" : "/inventory");
            if (!inventory.IsSuccessStatusCode)
            {
                logger.LogWarning("Inventory unavailable for order {OrderId}", id);
            }

            logger.LogInformation("Order {OrderId} loaded", id);
            return Results.Json(new { TraceId = PanopticonTrace.CurrentTraceId, Sampled = PanopticonTrace.IsSampled }, statusCode: fail == "server" ? 500 : 200);
        });
        await app.StartAsync();
        return new SamplingApp(app, downstream, sink);
    }

    /// <summary>Sends <c>GET /orders/{id}</c>; returns the trace id and <see cref="PanopticonTrace.IsSampled"/> the handler saw.</summary>
    public async Task<(string TraceId, bool Sampled)> GetOrderAsync(int id, string? fail = null, string? traceparent = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/orders/{id}" + (fail is null ? string.Empty : "?fail=" + fail));
        if (traceparent is not null)
        {
            request.Headers.Add("traceparent", traceparent);
        }

        using var response = await Client.SendAsync(request);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (body.RootElement.GetProperty("traceId").GetString()!, body.RootElement.GetProperty("sampled").GetBoolean());
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        _requestsEnded.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Downstream.Dispose();
    }
}
