using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Panopticon.Sdk.Testing;

namespace Panopticon.Sdk.Tests.Support;

/// <summary>
/// An application wired the way a user wires the SDK: a generic host with <c>AddPanopticon(...)</c>, log tracking
/// and one <see cref="ActivitySource"/> of its own (<c>AddSource</c>), sending to an in-memory sink or to a Producer
/// URL. Tests write through <see cref="Logger"/> and spans of <see cref="Source"/>, and read <see cref="Client"/>.
/// Disposing it stops the host, which sends what is buffered within <c>ShutdownTimeout</c>, as an app's host does.
/// </summary>
internal sealed class MonitoredApp : IAsyncDisposable
{
    /// <summary>The category of <see cref="Logger"/>: the application's lines under test.</summary>
    public const string Category = "Tests.Category";

    private readonly IHost _host;

    private MonitoredApp(Action<PanopticonOptions> configure, Action<IPanopticonBuilder>? panopticon, TimeProvider? time, CapturedLog? appLog)
    {
        // A source per app: tests run in parallel, and a shared source would hand each app the others' spans.
        Source = new ActivitySource("Panopticon.Sdk.Tests.App." + Guid.NewGuid().ToString("N"));
        var app = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var services = app.Services;
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        app.Logging.SetMinimumLevel(LogLevel.Trace); // the SDK's MinimumLogLevel decides, not the factory's default
        app.Logging.AddFilter("Microsoft", LogLevel.None); // the host's own lines would be sent as records too
        if (appLog is not null)
        {
            app.Logging.AddProvider(new SdkLinesProvider(appLog));
        }

        var builder = services.AddPanopticon(options =>
        {
            options.ApiKey = "test-key-123";
            options.ServiceName = "order-service";
            options.Environment = "test";
            configure(options);
        }).AddLogTracking().AddSource(Source.Name);
        panopticon?.Invoke(builder);
        _host = app.Build();
    }

    public ActivitySource Source { get; }

    public IPanopticonClient Client => _host.Services.GetRequiredService<IPanopticonClient>();

    public IServiceProvider Services => _host.Services;

    /// <summary>Starts an app sending to <paramref name="sink"/>; <paramref name="appLog"/> gets what the SDK tells the app.</summary>
    public static Task<MonitoredApp> StartAsync(InMemoryPanopticonSink sink, Action<PanopticonOptions>? configure = null, TimeProvider? time = null, Action<IPanopticonBuilder>? panopticon = null, CapturedLog? appLog = null) =>
        new MonitoredApp(configure ?? (_ => { }), builder =>
        {
            builder.UseInMemorySink(sink);
            panopticon?.Invoke(builder);
        }, time, appLog).StartAsync();

    /// <summary>Starts an app sending to the Producer at <paramref name="endpoint"/>; <paramref name="appLog"/> gets what the SDK tells the app.</summary>
    public static Task<MonitoredApp> StartAsync(string endpoint, Action<PanopticonOptions>? configure = null, TimeProvider? time = null, CapturedLog? appLog = null) =>
        new MonitoredApp(
            options =>
            {
                options.Endpoint = endpoint;
                configure?.Invoke(options);
            },
            panopticon: null,
            time,
            appLog).StartAsync();

    public ILogger Logger(string category = Category) => _host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(category);

    /// <summary>
    /// <see cref="IPanopticonClient.FlushAsync"/>, bounded: a change that held a batch forever fails the test
    /// (the result is not <c>Completed</c>) instead of hanging the run.
    /// </summary>
    public async Task<FlushResult> FlushAsync()
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await Client.FlushAsync(bound.Token);
    }

    /// <summary>
    /// Starts a span of <see cref="Source"/> at <see cref="Records.Noon"/>, so its timestamp is known; null when
    /// nothing listens (the SDK is off). A default <paramref name="parent"/> means <see cref="Activity.Current"/>.
    /// </summary>
    public Activity? StartSpan(string name = "work", ActivityKind kind = ActivityKind.Internal, Activity? parent = null, params (string Key, object? Value)[] tags)
    {
        var parentContext = parent is null ? default : new ActivityContext(parent.TraceId, parent.SpanId, ActivityTraceFlags.Recorded);
        var activity = Source.CreateActivity(name, kind, parentContext, idFormat: ActivityIdFormat.W3C);
        if (activity is null)
        {
            return null;
        }

        foreach (var (key, value) in tags)
        {
            activity.SetTag(key, value);
        }

        activity.SetStartTime(Records.Noon.UtcDateTime);
        return activity.Start();
    }

    /// <summary>Ends <paramref name="activity"/> 42.5 ms after it started: the SDK copies it into a span now.</summary>
    public static Activity End(Activity activity)
    {
        activity.SetEndTime(activity.StartTimeUtc.AddMilliseconds(42.5));
        activity.Stop();
        return activity;
    }

    /// <summary>A span of <see cref="Source"/>, started and ended (see <see cref="StartSpan"/> and <see cref="End"/>).</summary>
    public Activity EndSpan(string name = "work", ActivityKind kind = ActivityKind.Internal, Activity? parent = null, params (string Key, object? Value)[] tags) =>
        End(StartSpan(name, kind, parent, tags) ?? throw new InvalidOperationException($"Nothing listens to {Source.Name}: is the SDK on?"));

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        if (_host is IAsyncDisposable host)
        {
            await host.DisposeAsync();
        }
        else
        {
            _host.Dispose();
        }

        Source.Dispose();
    }

    private async Task<MonitoredApp> StartAsync()
    {
        try
        {
            await _host.StartAsync(); // builds the TracerProvider, as in an app
            return this;
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The application's log as a test reads it: the SDK's own lines (about export health), not the lines the
    /// test writes through <see cref="Logger"/>, which are the records under test.
    /// </summary>
    private sealed class SdkLinesProvider(CapturedLog log) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) =>
            categoryName == Category ? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance : log.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }
}
