using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using Panopticon.Sdk.Benchmarks.Support;
using Panopticon.Sdk.Transport;

namespace Panopticon.Sdk.Benchmarks.Micro;

/// <summary>
/// Benchmark 1: one <c>LogInformation</c> with two structured arguments inside an active <see cref="Activity"/>,
/// and the same call filtered out by level (<c>LogDebug</c> under an Information minimum). Each contender gets
/// its own setup, so no other pipeline's export thread runs while it is measured. The <c>Outage</c> rows point each
/// SDK's real transport at a closed loopback port (see <see cref="ClosedPort"/>): the export fails, the queue fills
/// and every further record drops the oldest one, the path an application takes while the Producer is down.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class LogCallBenchmarks
{
    private const string Enabled = "Log call";
    private const string Filtered = "Log call, filtered out";
    private const string InRequest = "Log call in a server request";

    private ILoggerFactory _factory = null!;
    private ServiceProvider? _services;
    private ILogger _logger = null!;
    private Activity? _activity;
    private ActivityListener? _requestListener;
    private int _orderId;
    private IDisposable? _noopExport;

    [GlobalSetup(Targets = [nameof(NoProvider), nameof(NoProviderFiltered)])]
    public void SetupNoProvider() => Use(LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Information)));

    [GlobalSetup(Targets = [nameof(Panopticon), nameof(PanopticonFiltered)])]
    public void SetupPanopticon() => SetupPanopticon(new DiscardTransport());

    [GlobalSetup(Target = nameof(PanopticonCallerOnly))]
    public void SetupPanopticonCallerOnly() => SetupPanopticon(new StalledTransport());

    [GlobalSetup(Target = nameof(PanopticonNoopExport))]
    public void SetupPanopticonNoopExport()
    {
        SetupPanopticon(new StalledTransport());
        _noopExport = NoopExport<Engine.LogRecord>.Logs(_services!.GetRequiredService<PanopticonClient>());
    }

    [GlobalSetup(Target = nameof(PanopticonNoopExportInRequest))]
    public void SetupPanopticonNoopExportInRequest()
    {
        SetupPanopticonNoopExport();
        StartServerRequest();
    }

    [GlobalSetup(Target = nameof(PanopticonOutage))]
    public void SetupPanopticonOutage() => SetupPanopticon(transport: null, ClosedPort.BaseUrl);

    [GlobalSetup(Target = nameof(OpenTelemetryOutage))]
    public void SetupOpenTelemetryOutage() => Use(LoggerFactory.Create(logging => logging
        .SetMinimumLevel(LogLevel.Information)
        .AddOpenTelemetry(options => options.AddOtlpExporter(otlp =>
        {
            otlp.Endpoint = new Uri(ClosedPort.BaseUrl + "/v1/logs");
            otlp.Protocol = OtlpExportProtocol.HttpProtobuf;
        }))));

    [GlobalSetup(Target = nameof(Sentry))]
    public void SetupSentry() => Use(LoggerFactory.Create(logging => logging
        .SetMinimumLevel(LogLevel.Information)
        .AddSentry(options => SentryContender.ConfigureLogging(options, "http://127.0.0.1:9", new AcceptingHandler()))));

    [GlobalSetup(Target = nameof(SentryOutage))]
    public void SetupSentryOutage() => Use(LoggerFactory.Create(logging => logging
        .SetMinimumLevel(LogLevel.Information)
        .AddSentry(options => SentryContender.ConfigureLogging(options, ClosedPort.BaseUrl))));

    [GlobalSetup(Targets = [nameof(OpenTelemetry), nameof(OpenTelemetryFiltered)])]
    public void SetupOpenTelemetry() => Use(LoggerFactory.Create(logging => logging
        .SetMinimumLevel(LogLevel.Information)
        .AddOpenTelemetry(options => options.AddProcessor(new BatchLogRecordExportProcessor(new NoopExporter<LogRecord>())))));

    [GlobalSetup(Target = nameof(NoProviderInRequest))]
    public void SetupNoProviderInRequest()
    {
        SetupNoProvider();
        StartServerRequest();
    }

    [GlobalSetup(Target = nameof(PanopticonCallerOnlyInRequest))]
    public void SetupPanopticonCallerOnlyInRequest()
    {
        SetupPanopticonCallerOnly();
        StartServerRequest();
    }

    [GlobalSetup(Target = nameof(OpenTelemetryInRequest))]
    public void SetupOpenTelemetryInRequest()
    {
        SetupOpenTelemetry();
        StartServerRequest();
    }

    // Without a transport, the SDK's own HTTP transport sends to endpoint.
    private void SetupPanopticon(ITelemetryTransport? transport, string endpoint = "http://127.0.0.1:9")
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Information));
        if (transport is not null)
        {
            services.AddSingleton(new TransportOverride(transport));
        }

        services.AddPanopticon(options =>
        {
            options.ApiKey = "benchmark";
            options.Endpoint = endpoint;
            options.OverflowPolicy = PanopticonOverflowPolicy.DropOldest;
            options.ServiceName = "benchmark";
        }).AddLogTracking();
        _services = services.BuildServiceProvider();
        Use(_services.GetRequiredService<ILoggerFactory>());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _activity?.Stop();
        _requestListener?.Dispose();
        _factory.Dispose();
        _noopExport?.Dispose();
        _services?.Dispose();
    }

    [Benchmark(Baseline = true), BenchmarkCategory(Enabled)]
    public void NoProvider() => _logger.LogInformation("Order {OrderId} shipped to {City}", ++_orderId, "Berlin");

    [Benchmark, BenchmarkCategory(Enabled)]
    public void Panopticon() => _logger.LogInformation("Order {OrderId} shipped to {City}", ++_orderId, "Berlin");

    /// <summary>The calling thread alone: the export loop is parked on a request that never ends (see <see cref="StalledTransport"/>).</summary>
    [Benchmark, BenchmarkCategory(Enabled)]
    public void PanopticonCallerOnly() => _logger.LogInformation("Order {OrderId} shipped to {City}", ++_orderId, "Berlin");

    /// <summary>
    /// A healthy service's calling thread on OpenTelemetry's terms: records are taken off the queue in batches of 512 and
    /// released unserialized (see <see cref="NoopExport{T}"/>), as OpenTelemetry's row hands them to a no-op exporter.
    /// </summary>
    [Benchmark, BenchmarkCategory(Enabled)]
    public void PanopticonNoopExport() => _logger.LogInformation("Order {OrderId} shipped to {City}", ++_orderId, "Berlin");

    /// <summary>The SDK's HTTP transport against a closed port: failed exports, a full queue dropping its oldest record.</summary>
    [Benchmark, BenchmarkCategory(Enabled)]
    public void PanopticonOutage() => _logger.LogInformation("Order {OrderId} shipped to {City}", ++_orderId, "Berlin");

    [Benchmark, BenchmarkCategory(Enabled)]
    public void OpenTelemetry() => _logger.LogInformation("Order {OrderId} shipped to {City}", ++_orderId, "Berlin");

    /// <summary>OpenTelemetry's batch processor and OTLP/HTTP exporter against a closed port.</summary>
    [Benchmark, BenchmarkCategory(Enabled)]
    public void OpenTelemetryOutage() => _logger.LogInformation("Order {OrderId} shipped to {City}", ++_orderId, "Berlin");

    /// <summary>Sentry.Extensions.Logging with structured logs (see <see cref="SentryContender"/>), its HTTP client answered at once.</summary>
    [Benchmark, BenchmarkCategory(Enabled)]
    public void Sentry() => _logger.LogInformation("Order {OrderId} shipped to {City}", ++_orderId, "Berlin");

    /// <summary>Sentry against a closed port.</summary>
    [Benchmark, BenchmarkCategory(Enabled)]
    public void SentryOutage() => _logger.LogInformation("Order {OrderId} shipped to {City}", ++_orderId, "Berlin");

    [Benchmark(Baseline = true), BenchmarkCategory(Filtered)]
    public void NoProviderFiltered() => _logger.LogDebug("Order {OrderId} shipped to {City}", ++_orderId, "Berlin");

    [Benchmark, BenchmarkCategory(Filtered)]
    public void PanopticonFiltered() => _logger.LogDebug("Order {OrderId} shipped to {City}", ++_orderId, "Berlin");

    [Benchmark, BenchmarkCategory(Filtered)]
    public void OpenTelemetryFiltered() => _logger.LogDebug("Order {OrderId} shipped to {City}", ++_orderId, "Berlin");

    /// <summary>The same call where most log lines are written: inside an ASP.NET Core request, whose server activity is current.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory(InRequest)]
    public void NoProviderInRequest() => _logger.LogInformation("Order {OrderId} shipped to {City}", ++_orderId, "Berlin");

    [Benchmark, BenchmarkCategory(InRequest)]
    public void PanopticonCallerOnlyInRequest() => _logger.LogInformation("Order {OrderId} shipped to {City}", ++_orderId, "Berlin");

    [Benchmark, BenchmarkCategory(InRequest)]
    public void PanopticonNoopExportInRequest() => _logger.LogInformation("Order {OrderId} shipped to {City}", ++_orderId, "Berlin");

    [Benchmark, BenchmarkCategory(InRequest)]
    public void OpenTelemetryInRequest() => _logger.LogInformation("Order {OrderId} shipped to {City}", ++_orderId, "Berlin");

    private void Use(ILoggerFactory factory)
    {
        _factory = factory;
        _logger = factory.CreateLogger("Orders.OrderService");

        // An active activity without any listener: W3C ids, Activity.Current set for the benchmark thread.
        _activity = new Activity("HandleOrder").SetIdFormat(ActivityIdFormat.W3C).Start();
    }

    // A SERVER activity with the tags the ASP.NET Core instrumentation sets (Panopticon reads method and path from it).
    private void StartServerRequest()
    {
        _activity?.Stop();
        var source = new ActivitySource("Benchmarks.Requests");
        _requestListener = new ActivityListener
        {
            ShouldListenTo = s => s == source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(_requestListener);
        _activity = source.StartActivity("GET /orders/{id}", ActivityKind.Server)!;
        _activity.SetTag("server.address", "localhost"); // in the order the instrumentation sets them
        _activity.SetTag("server.port", 8080);
        _activity.SetTag("http.request.method", "GET");
        _activity.SetTag("url.scheme", "http");
        _activity.SetTag("url.path", "/orders/42");
        _activity.SetTag("network.protocol.version", "1.1");
        _activity.SetTag("user_agent.original", "benchmark/1.0");
        _activity.SetTag("http.route", "/orders/{id}");
    }
}
