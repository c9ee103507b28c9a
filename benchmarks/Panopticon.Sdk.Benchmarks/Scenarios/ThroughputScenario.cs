using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using Panopticon.Sdk.Benchmarks.Support;

namespace Panopticon.Sdk.Benchmarks.Scenarios;

/// <summary>
/// Benchmark 3b: the same N ended spans through each SDK's batching pipeline to a loopback Kestrel sink, timed from
/// the first record handed over until the last request is acknowledged. Both sides use batches of 512, a queue
/// that holds all N (so nothing is dropped) and their default body format: Panopticon gzip JSON, OTLP/HTTP protobuf.
/// </summary>
internal sealed class ThroughputScenario(int records, int rounds)
{
    private const int BatchSize = 512;

    public async Task<IReadOnlyList<ScenarioResult>> RunAsync()
    {
        Console.WriteLine($"== Export throughput: {records:N0} spans to a loopback Kestrel sink, best of {rounds} rounds ==");
        var spans = SampleData.ServerSpans(records);
        await using var sink = await LoopbackSink.StartAsync();
        var otlp = new List<(double Seconds, double BytesPerRecord)>();
        var panopticon = new List<(double Seconds, double BytesPerRecord)>();
        var uncompressed = new List<(double Seconds, double BytesPerRecord)>();

        // One full unmeasured run of each (tiered JIT reaches its optimised code, connections open), then
        // interleaved rounds so every contender sees the same machine load.
        await RunPanopticonAsync(sink, spans);
        await RunPanopticonAsync(sink, spans, PanopticonCompression.None);
        RunOtlp(sink, spans);
        for (var round = 0; round < rounds; round++)
        {
            otlp.Add(RunOtlp(sink, spans));
            panopticon.Add(await RunPanopticonAsync(sink, spans));
            uncompressed.Add(await RunPanopticonAsync(sink, spans, PanopticonCompression.None));
        }

        var baseline = Best("OTLP/HTTP protobuf (OpenTelemetry)", otlp, null);
        var ours = Best("Panopticon gzip JSON (default)", panopticon, baseline);
        var plain = Best("Panopticon JSON, no compression", uncompressed, baseline);
        return [baseline, ours, plain];
    }

    private ScenarioResult Best(string name, List<(double Seconds, double BytesPerRecord)> runs, ScenarioResult? baseline)
    {
        var best = runs.MinBy(r => r.Seconds);
        var perSecond = records / best.Seconds;
        var result = new ScenarioResult("Export throughput", name, perSecond, "records/s", best.BytesPerRecord, "bytes/record", baseline?.Value);
        Console.WriteLine($"  {name,-36} {perSecond,12:N0} records/s  {best.BytesPerRecord,8:N1} bytes/record"
            + (baseline is null ? "  (baseline)" : $"  ratio {perSecond / baseline.Value:N2}x"));
        return result;
    }

    private static async Task<(double, double)> RunPanopticonAsync(LoopbackSink sink, Activity[] spans, PanopticonCompression compression = PanopticonCompression.Gzip)
    {
        using var client = new PanopticonClient(new PanopticonOptions
        {
            ApiKey = "benchmark",
            Endpoint = sink.BaseUrl,
            ServiceName = "benchmark",
            BatchSize = BatchSize,
            MaxQueueSize = spans.Length,
            Compression = compression,
        });
        sink.Reset();
        var watch = Stopwatch.StartNew();
        foreach (var span in spans)
        {
            client.TryWriteSpan(span);
        }

        var result = await client.FlushAsync();
        watch.Stop();
        var sent = client.Statistics.Sent; // FlushResult counts only what the flush itself waited for
        Check(result.Completed && sent == spans.Length, $"Panopticon sent {sent} of {spans.Length}");
        return (watch.Elapsed.TotalSeconds, (double)sink.Bytes / spans.Length);
    }

    private static (double, double) RunOtlp(LoopbackSink sink, Activity[] spans)
    {
        var options = new OtlpExporterOptions
        {
            Endpoint = new Uri(sink.BaseUrl + "/v1/traces"),
            Protocol = OtlpExportProtocol.HttpProtobuf,
        };
        using var processor = new BatchActivityExportProcessor(
            new OtlpTraceExporter(options),
            maxQueueSize: spans.Length,
            scheduledDelayMilliseconds: 5_000,
            exporterTimeoutMilliseconds: 30_000,
            maxExportBatchSize: BatchSize);
        sink.Reset();
        var watch = Stopwatch.StartNew();
        foreach (var span in spans)
        {
            processor.OnEnd(span);
        }

        var flushed = processor.ForceFlush(60_000);
        var expectedRequests = (spans.Length + BatchSize - 1) / BatchSize;
        var arrived = sink.WaitForRequests(expectedRequests, TimeSpan.FromSeconds(30)); // the last response may still be on its way
        watch.Stop();
        Check(flushed && arrived, $"OTLP flushed={flushed}, {sink.Requests} requests of {expectedRequests}");
        return (watch.Elapsed.TotalSeconds, (double)sink.Bytes / spans.Length);
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException("Throughput run incomplete: " + message);
        }
    }
}
