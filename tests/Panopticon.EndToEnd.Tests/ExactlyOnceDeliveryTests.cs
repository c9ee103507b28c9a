using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;
using Panopticon.Sdk;

namespace Panopticon.EndToEnd.Tests;

/// <summary>
/// The real SDK against the real Producer over loopback HTTP, while the Producer fails every 3rd ingest request with
/// 503: 10 000 logs and 10 000 spans in 20 batches each must all be stored, each exactly once (retries keep the
/// batch id; the Producer drops a repeated one).
/// </summary>
[Collection(InProcessHosts.Name)]
public sealed class ExactlyOnceDeliveryTests
{
    private const string SourceName = "EndToEnd.Load";
    private const string Service = "e2e-load";
    private const int Traces = 100;
    private const int SpansPerTrace = 100; // a root and 99 children, one log each
    private const int Total = Traces * SpansPerTrace;

    [Fact]
    public async Task Every_record_is_stored_exactly_once_while_the_producer_fails_every_third_request()
    {
        await using var producer = await ProducerProcess.StartAsync(
            "--Producer:FaultInjection:FailEveryNth=3", "--Producer:FaultInjection:AdminEndpoint=true");

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing", DisableDefaults = true });
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Warning).AddFilter(SourceName, LogLevel.Information);
        builder.Services.AddPanopticon(o =>
        {
            o.ApiKey = producer.ApiKey;
            o.Endpoint = producer.Url.ToString().TrimEnd('/');
            o.ServiceName = Service;
            o.Environment = "test";
            o.BatchSize = 500;                     // 20 batches per signal
            o.MaxQueueSize = 2 * Total;            // all of it may be queued at once; nothing may be dropped for space
            o.FlushInterval = TimeSpan.FromMilliseconds(200);
        }).AddLogTracking();
        builder.Services.AddOpenTelemetry().WithTracing(t => t.AddSource(SourceName));
        using var host = builder.Build();
        await host.StartAsync();

        var client = host.Services.GetRequiredService<IPanopticonClient>();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(SourceName);
        using (var source = new ActivitySource(SourceName))
        {
            Write(source, logger);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var flush = await client.FlushAsync(timeout.Token);

        Assert.True(flush.Succeeded, $"{flush} / {client.Statistics}; producer output:\n{producer.OutputTail()}");
        var statistics = client.Statistics;
        Assert.True(client.BufferSize == 0, $"{client.BufferSize} records still buffered after {flush}: {statistics}");
        Assert.True(statistics.Sent == 2L * Total, $"sent {statistics.Sent} records for {2L * Total} written: {statistics}");
        Assert.True(statistics.Retried > 0, $"the SDK never retried: {statistics}");
        var faults = await producer.GetFaultInjectionAsync();
        // 2 × 10 000 records take at least ten requests (a request carries 2 000 records at most), every third fails.
        Assert.True(faults.FailedRequests >= 3, $"the Producer failed only {faults.FailedRequests} requests");

        // Every span and every log, read back through the query API: each sequence number exactly once.
        var traces = (await producer.GetAsync<JsonElement>($"/api/traces?service={Service}&limit=1000")).GetProperty("traces").EnumerateArray().ToList();
        Assert.Equal(Traces, traces.Count);
        Assert.Equal(Total, traces.Sum(t => t.GetProperty("spanCount").GetInt32()));

        var spanSequence = new List<long>(Total);
        var logSequence = new List<long>(Total);
        foreach (var summary in traces)
        {
            var trace = await producer.GetAsync<JsonElement>($"/api/traces/{summary.GetProperty("traceId").GetString()}");
            var spans = trace.GetProperty("spans").EnumerateArray().ToList();
            var logs = trace.GetProperty("logs").EnumerateArray().ToList();
            Assert.Equal(SpansPerTrace, spans.Count);
            Assert.Equal(SpansPerTrace, spans.Select(s => s.GetProperty("spanId").GetString()).Distinct().Count());
            Assert.Single(spans, s => !s.TryGetProperty("parentSpanId", out var parent) || parent.ValueKind == JsonValueKind.Null);
            Assert.Equal(SpansPerTrace, logs.Count);
            spanSequence.AddRange(spans.Select(s => s.GetProperty("labels").GetProperty("seq").GetInt64()));
            logSequence.AddRange(logs.Select(l => l.GetProperty("labels").GetProperty("Seq").GetInt64()));
        }

        Assert.Equal(Enumerable.Range(0, Total).Select(i => (long)i), spanSequence.Order());
        Assert.Equal(Enumerable.Range(0, Total).Select(i => (long)i), logSequence.Order());
        var logTotal = (await producer.GetAsync<JsonElement>($"/api/logs?service={Service}&level=INFO&limit=1")).GetProperty("total").GetInt64(); // the test's lines
        Assert.Equal(Total, logTotal);

        await host.StopAsync();
    }

    /// <summary>100 traces of 100 spans (a root and its children), one log inside each span; every record numbered.</summary>
    private static void Write(ActivitySource source, ILogger logger)
    {
        var seq = 0;
        for (var t = 0; t < Traces; t++)
        {
            using var root = source.StartActivity($"job {t}", ActivityKind.Internal, parentContext: default);
            Assert.NotNull(root); // the Panopticon TracerProvider listens to this source
            root.SetTag("seq", seq);
            logger.LogInformation("Job {Job} started ({Seq})", t, seq);
            seq++;
            for (var s = 1; s < SpansPerTrace; s++)
            {
                using var step = source.StartActivity($"step {s}");
                step!.SetTag("seq", seq);
                logger.LogInformation("Step {Step} of job {Job} ({Seq})", s, t, seq);
                seq++;
            }
        }
    }
}
