using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Panopticon.Sdk.Benchmarks.Support;
using Panopticon.Sdk.Tracing;

namespace Panopticon.Sdk.Benchmarks.Micro;

/// <summary>
/// Benchmark 2: start and stop one <see cref="Activity"/> with two tags. Baseline: a bare
/// <see cref="ActivityListener"/> that records everything. Against it: a <c>TracerProvider</c> with the
/// Panopticon span processor (into the engine, discarding transport), and one with OpenTelemetry's
/// <see cref="BatchActivityExportProcessor"/> and a no-op exporter (and one whose exporter serializes to OTLP, as
/// Panopticon's export loop serializes to JSON).
/// </summary>
[MemoryDiagnoser]
public class SpanBenchmarks
{
    private ActivitySource _source = null!;
    private ActivityListener? _listener;
    private TracerProvider? _provider;
    private PanopticonClient? _client;

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

    [GlobalSetup(Target = nameof(ProviderOnly))]
    public void SetupProviderOnly()
    {
        _source = new ActivitySource(SampleData.SourceName);
        _provider = global::OpenTelemetry.Sdk.CreateTracerProviderBuilder().AddSource(SampleData.SourceName).Build();
    }

    private void SetupPanopticon(Transport.ITelemetryTransport transport)
    {
        _source = new ActivitySource(SampleData.SourceName);
        _client = new PanopticonClient(
            new PanopticonOptions { ApiKey = "benchmark", Endpoint = "http://127.0.0.1:9", ServiceName = "benchmark" },
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
        _client?.Dispose();
        _listener?.Dispose();
        _source.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void ListenerOnly() => StartStop();

    [Benchmark]
    public void Panopticon() => StartStop();

    /// <summary>The calling thread alone: the export loop is parked on a request that never ends.</summary>
    [Benchmark]
    public void PanopticonCallerOnly() => StartStop();

    /// <summary>
    /// A <c>TracerProvider</c> with no processor: the floor every OpenTelemetry processor (Panopticon's and
    /// OpenTelemetry's own) starts from, since the provider's sampling and activity setup run for each span.
    /// </summary>
    [Benchmark]
    public void ProviderOnly() => StartStop();

    [Benchmark]
    public void OpenTelemetry() => StartStop();

    /// <summary>
    /// OpenTelemetry doing the same work as <see cref="Panopticon"/>: its export thread serializes every batch (to
    /// OTLP protobuf) before discarding it, where the no-op exporter above does nothing.
    /// </summary>
    [Benchmark]
    public void OpenTelemetrySerializing() => StartStop();

    private void StartStop()
    {
        using var activity = _source.StartActivity("ProcessOrder");
        activity?.SetTag("order.id", 42);
        activity?.SetTag("order.city", "Berlin");
    }
}
