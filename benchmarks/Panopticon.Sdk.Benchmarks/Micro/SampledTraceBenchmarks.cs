using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;
using Panopticon.Sdk.Benchmarks.Support;
using Panopticon.Sdk.Transport;

namespace Panopticon.Sdk.Benchmarks.Micro;

/// <summary>
/// Benchmark 2b (<c>micro --filter *SampledTrace*</c>): one request's telemetry on the calling thread — a SERVER root
/// span, one log line, one child span with two tags, the root's end — at <c>TracesSampleRatio</c> 1.0 (sent as it ends),
/// 0.1 and 0 (held until the root ends, then dropped). The export loop discards what it is given.
/// </summary>
[MemoryDiagnoser]
public class SampledTraceBenchmarks
{
    private ServiceProvider _services = null!;
    private ActivitySource _source = null!;
    private ILogger _logger = null!;
    private int _orderId;

    [Params(1.0, 0.1, 0.0)]
    public double Ratio { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _source = new ActivitySource(SampleData.SourceName);
        var services = DiscardingApp.Services(options => options.TracesSampleRatio = Ratio);
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(SampleData.SourceName));
        _services = services.BuildServiceProvider();
        _services.GetRequiredService<TracerProvider>();
        _logger = _services.GetRequiredService<ILoggerFactory>().CreateLogger("Orders.OrderEndpoint");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _services.Dispose();
        _source.Dispose();
    }

    [Benchmark]
    public void Request()
    {
        using var root = _source.StartActivity("GET /orders/{id}", ActivityKind.Server);
        _logger.LogInformation("Order {OrderId} requested", ++_orderId);
        using (var query = _source.StartActivity("SELECT orders"))
        {
            query?.SetTag("db.system", "sqlite");
            query?.SetTag("db.name", "orders");
        }
    }
}
