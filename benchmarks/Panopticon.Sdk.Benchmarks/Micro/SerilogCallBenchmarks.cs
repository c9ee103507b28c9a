using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Panopticon.Sdk.Benchmarks.Support;
using Panopticon.Sdk.Transport;
using Serilog;
using Serilog.Core;
using Serilog.Sinks.OpenTelemetry;

namespace Panopticon.Sdk.Benchmarks.Micro;

/// <summary>
/// Benchmark 1b: one Serilog <c>Information</c> with two properties inside an active <see cref="Activity"/> — Serilog
/// with no sink (baseline), with the Panopticon sink (discarding transport; and with the export loop parked, the
/// calling thread alone), and with Serilog.Sinks.OpenTelemetry (OTLP/HTTP protobuf to a handler that answers 200 at
/// once). Each contender gets its own setup, so no other pipeline's export thread runs while it is measured.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class SerilogCallBenchmarks
{
    private Logger _logger = null!;
    private ServiceProvider? _services;
    private Activity? _activity;
    private int _orderId;

    [GlobalSetup(Target = nameof(NoSink))]
    public void SetupNoSink() => Use(new LoggerConfiguration());

    [GlobalSetup(Target = nameof(Panopticon))]
    public void SetupPanopticon() => SetupPanopticon(new DiscardTransport());

    [GlobalSetup(Target = nameof(PanopticonCallerOnly))]
    public void SetupPanopticonCallerOnly() => SetupPanopticon(new StalledTransport());

    [GlobalSetup(Target = nameof(OpenTelemetrySink))]
    public void SetupOpenTelemetrySink() => Use(new LoggerConfiguration().WriteTo.OpenTelemetry(options =>
    {
        options.Endpoint = "http://127.0.0.1:9/v1/logs";
        options.Protocol = OtlpProtocol.HttpProtobuf;
        options.HttpMessageHandler = new AcceptingHandler();
    }));

    private void SetupPanopticon(ITelemetryTransport transport)
    {
        var services = new ServiceCollection();
        services.AddSingleton(new TransportOverride(transport));
        services.AddPanopticon(options =>
        {
            options.ApiKey = "benchmark";
            options.Endpoint = "http://127.0.0.1:9";
            options.ServiceName = "benchmark";
        });
        _services = services.BuildServiceProvider();
        Use(new LoggerConfiguration().WriteTo.Panopticon(_services));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _activity?.Stop();
        _logger.Dispose();
        _services?.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void NoSink() => _logger.Information("Order {OrderId} shipped to {City}", ++_orderId, "Berlin");

    [Benchmark]
    public void Panopticon() => _logger.Information("Order {OrderId} shipped to {City}", ++_orderId, "Berlin");

    /// <summary>The calling thread alone: the export loop is parked on a request that never ends (see <see cref="StalledTransport"/>).</summary>
    [Benchmark]
    public void PanopticonCallerOnly() => _logger.Information("Order {OrderId} shipped to {City}", ++_orderId, "Berlin");

    [Benchmark]
    public void OpenTelemetrySink() => _logger.Information("Order {OrderId} shipped to {City}", ++_orderId, "Berlin");

    private void Use(LoggerConfiguration configuration)
    {
        _logger = configuration.MinimumLevel.Information().Enrich.WithProperty("SourceContext", "Orders.OrderService").CreateLogger();

        // An active activity without any listener: W3C ids, Activity.Current set for the benchmark thread.
        _activity = new Activity("HandleOrder").SetIdFormat(ActivityIdFormat.W3C).Start();
    }
}
