using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Trace;
using Panopticon.Sdk.Benchmarks.Support;
using Panopticon.Sdk.Tracing;
using Sentry;

namespace Panopticon.Sdk.Benchmarks.Micro;

/// <summary>
/// Benchmark 2: start and stop one <see cref="Activity"/> with two tags. Baseline: a bare
/// <see cref="ActivityListener"/> that records everything. Against it: a <c>TracerProvider</c> with the
/// Panopticon span processor (into the engine, discarding transport), and one with OpenTelemetry's
/// <see cref="BatchActivityExportProcessor"/> and a no-op exporter (and one whose exporter serializes to OTLP, as
/// Panopticon's export loop serializes to JSON). Sentry has no <see cref="Activity"/> listener of its own (that takes
/// its separate OpenTelemetry package): its rows start and finish a transaction with two data values through its own
/// API, the span a Sentry user writes. The <c>Outage</c> rows send to a closed loopback port (see <see cref="ClosedPort"/>).
/// </summary>
[MemoryDiagnoser]
public class SpanBenchmarks
{
    private ActivitySource? _source;
    private ActivityListener? _listener;
    private TracerProvider? _provider;
    private PanopticonClient? _client;
    private IDisposable? _sentry;
    private IDisposable? _noopExport;

    [GlobalSetup(Target = nameof(ListenerOnly))]
    public void SetupListener()
    {
        _source = new ActivitySource(SampleData.SourceName);
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == SampleData.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [GlobalSetup(Target = nameof(Panopticon))]
    public void SetupPanopticon() => SetupPanopticon(new DiscardTransport());

    [GlobalSetup(Target = nameof(PanopticonCallerOnly))]
    public void SetupPanopticonCallerOnly() => SetupPanopticon(new StalledTransport());

    [GlobalSetup(Target = nameof(PanopticonNoopExport))]
    public void SetupPanopticonNoopExport()
    {
        SetupPanopticon(new StalledTransport());
        _noopExport = NoopExport<Engine.SpanRecord>.Spans(_client!);
    }

    [GlobalSetup(Target = nameof(PanopticonOutage))]
    public void SetupPanopticonOutage() => SetupPanopticon(transport: null, ClosedPort.BaseUrl);

    [GlobalSetup(Target = nameof(OpenTelemetryOutage))]
    public void SetupOpenTelemetryOutage() => SetupOpenTelemetry(new OtlpTraceExporter(new OtlpExporterOptions
    {
        Endpoint = new Uri(ClosedPort.BaseUrl + "/v1/traces"),
        Protocol = OtlpExportProtocol.HttpProtobuf,
    }));

    [GlobalSetup(Target = nameof(Sentry))]
    public void SetupSentry() => _sentry = SentrySdk.Init(options => SentryContender.Configure(options, "http://127.0.0.1:9", new AcceptingHandler()));

    [GlobalSetup(Target = nameof(SentryOutage))]
    public void SetupSentryOutage() => _sentry = SentrySdk.Init(options => SentryContender.Configure(options, ClosedPort.BaseUrl));

    [GlobalSetup(Target = nameof(ProviderOnly))]
    public void SetupProviderOnly()
    {
        _source = new ActivitySource(SampleData.SourceName);
        _provider = global::OpenTelemetry.Sdk.CreateTracerProviderBuilder().AddSource(SampleData.SourceName).Build();
    }

    // Without a transport, the SDK's own HTTP transport sends to endpoint.
    private void SetupPanopticon(Transport.ITelemetryTransport? transport, string endpoint = "http://127.0.0.1:9")
    {
        _source = new ActivitySource(SampleData.SourceName);
        _client = new PanopticonClient(
            new PanopticonOptions { ApiKey = "benchmark", Endpoint = endpoint, ServiceName = "benchmark", OverflowPolicy = PanopticonOverflowPolicy.DropOldest },
            transport: transport);
        _provider = global::OpenTelemetry.Sdk.CreateTracerProviderBuilder()
            .AddSource(SampleData.SourceName)
            .AddProcessor(new PanopticonSpanProcessor(_client, []))
            .Build();
    }

    [GlobalSetup(Target = nameof(OpenTelemetry))]
    public void SetupOpenTelemetry() => SetupOpenTelemetry(new NoopExporter<Activity>());

    [GlobalSetup(Target = nameof(OpenTelemetrySerializing))]
    public void SetupOpenTelemetrySerializing() => SetupOpenTelemetry(new OtlpSerializingExporter());

    private void SetupOpenTelemetry(BaseExporter<Activity> exporter)
    {
        _source = new ActivitySource(SampleData.SourceName);
        _provider = global::OpenTelemetry.Sdk.CreateTracerProviderBuilder()
            .AddSource(SampleData.SourceName)
            .AddProcessor(new BatchActivityExportProcessor(exporter))
            .Build();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _provider?.Dispose();
        _noopExport?.Dispose();
        _client?.Dispose();
        _listener?.Dispose();
        _source?.Dispose();
        _sentry?.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void ListenerOnly() => StartStop();

    [Benchmark]
    public void Panopticon() => StartStop();

    /// <summary>The calling thread alone: the export loop is parked on a request that never ends.</summary>
    [Benchmark]
    public void PanopticonCallerOnly() => StartStop();

    /// <summary>
    /// A healthy service's calling thread on OpenTelemetry's terms: records are taken off the queue in batches of 512 and
    /// released unserialized (see <see cref="NoopExport{T}"/>), as OpenTelemetry's row hands them to a no-op exporter.
    /// </summary>
    [Benchmark]
    public void PanopticonNoopExport() => StartStop();

    /// <summary>
    /// A <c>TracerProvider</c> with no processor: the floor every OpenTelemetry processor (Panopticon's and
    /// OpenTelemetry's own) starts from, since the provider's sampling and activity setup run for each span.
    /// </summary>
    [Benchmark]
    public void ProviderOnly() => StartStop();

    /// <summary>The SDK's HTTP transport against a closed port: failed exports, a full queue dropping its oldest record.</summary>
    [Benchmark]
    public void PanopticonOutage() => StartStop();

    [Benchmark]
    public void OpenTelemetry() => StartStop();

    /// <summary>OpenTelemetry's batch processor and OTLP/HTTP exporter against a closed port.</summary>
    [Benchmark]
    public void OpenTelemetryOutage() => StartStop();

    /// <summary>A Sentry transaction with two data values (see <see cref="SentryContender"/>), its HTTP client answered at once.</summary>
    [Benchmark]
    public void Sentry() => StartFinishSentry();

    /// <summary>Sentry against a closed port.</summary>
    [Benchmark]
    public void SentryOutage() => StartFinishSentry();

    /// <summary>
    /// OpenTelemetry doing the same work as <see cref="Panopticon"/>: its export thread serializes every batch (to
    /// OTLP protobuf) before discarding it, where the no-op exporter above does nothing.
    /// </summary>
    [Benchmark]
    public void OpenTelemetrySerializing() => StartStop();

    private static void StartFinishSentry()
    {
        var transaction = SentrySdk.StartTransaction("ProcessOrder", "task");
        transaction.SetData("order.id", 42);
        transaction.SetData("order.city", "Berlin");
        transaction.Finish();
    }

    private void StartStop()
    {
        using var activity = _source!.StartActivity("ProcessOrder");
        activity?.SetTag("order.id", 42);
        activity?.SetTag("order.city", "Berlin");
    }
}
