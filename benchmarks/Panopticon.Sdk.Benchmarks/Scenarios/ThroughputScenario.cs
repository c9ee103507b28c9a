using System.Diagnostics;
using System.Globalization;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using Panopticon.Sdk.Benchmarks.Support;

namespace Panopticon.Sdk.Benchmarks.Scenarios;

/// <summary>
/// Benchmark 3b: the same N ended spans through each SDK's batching pipeline to a loopback Kestrel sink, timed from
/// the first record handed over until the last request is acknowledged. Both sides use batches of 512, a queue
/// that holds all N (so nothing is dropped) and their default body format: Panopticon gzip JSON, OTLP/HTTP protobuf.
/// Each contender is created once and reused by the warm-up and every round, so rounds measure the steady state of a
/// running app on both sides: open connections, and Panopticon's pool of span records filled (a cold pool allocates
/// and promotes N records on the first run, as OpenTelemetry's queue of already-existing activities never does).
/// Then the same over a 100 Mbit/s link (a sink that reads no faster than that): on loopback bytes cost almost
/// nothing and only CPU counts; a service's uplink to the Producer is where bytes per record decide.
/// </summary>
internal sealed class ThroughputScenario(int records, int rounds)
{
    private const int BatchSize = 512;
    private const int WarmupRounds = 3;
    private static readonly TimeSpan MinimumWarmup = TimeSpan.FromSeconds(10);
    private const int LinkMegabits = 100;

    public async Task<IReadOnlyList<ScenarioResult>> RunAsync()
    {
        var spans = SampleData.ServerSpans(records);
        var results = new List<ScenarioResult>();
        Console.WriteLine($"== Export throughput: {records:N0} spans to a loopback Kestrel sink, best of {rounds} rounds ==");
        await using (var sink = await LoopbackSink.StartAsync())
        {
            results.AddRange(await RunAgainstAsync("Export throughput", sink, spans, WarmupRounds, MinimumWarmup, rounds, withUncompressed: true));
        }

        // Loopback makes bytes free and leaves the CPU as the only limit; a service's real uplink to the Producer is not.
        var linkRounds = Math.Min(rounds, 3);
        Console.WriteLine($"== Export throughput over a {LinkMegabits} Mbit/s link: {records:N0} spans, best of {linkRounds} rounds ==");
        await using (var linked = await LoopbackSink.StartAsync(new LinkBandwidth(LinkMegabits * 1_000_000 / 8)))
        {
            results.AddRange(await RunAgainstAsync($"Export throughput, {LinkMegabits} Mbit/s link", linked, spans, warmups: 1, TimeSpan.Zero, linkRounds, withUncompressed: false));
        }

        return results;
    }

    private async Task<IReadOnlyList<ScenarioResult>> RunAgainstAsync(string scenario, LoopbackSink sink, Activity[] spans, int warmups, TimeSpan minimumWarmup, int measured, bool withUncompressed)
    {
        using var gzipClient = CreateClient(sink, spans.Length, PanopticonCompression.Gzip);
        using var plainClient = withUncompressed ? CreateClient(sink, spans.Length, PanopticonCompression.None) : null;
        using var otlpProcessor = CreateOtlp(sink, spans.Length);
        var otlp = new List<(double Seconds, double BytesPerRecord, double CpuMicroseconds)>();
        var panopticon = new List<(double Seconds, double BytesPerRecord, double CpuMicroseconds)>();
        var uncompressed = new List<(double Seconds, double BytesPerRecord, double CpuMicroseconds)>();

        // Unmeasured runs of each until the JIT has settled, then interleaved rounds so every contender sees the same
        // machine load. Tiered compilation promotes a method to optimised code only after a quiet spell without new
        // methods to compile: a fixed three warm-up rounds (under 2 s) left much of both pipelines, ours more, in
        // unoptimised code (2-3x the CPU per record).
        var warmup = Stopwatch.StartNew();
        for (var round = -warmups; round < measured; round++)
        {
            var otlpRun = RunOtlp(otlpProcessor, sink, spans);
            var panopticonRun = await RunPanopticonAsync(gzipClient, sink, spans);
            var plainRun = plainClient is null ? default : await RunPanopticonAsync(plainClient, sink, spans);
            if (round == -1 && warmup.Elapsed < minimumWarmup)
            {
                round--; // one more warm-up round
            }
            else if (round >= 0)
            {
                otlp.Add(otlpRun);
                panopticon.Add(panopticonRun);
                uncompressed.Add(plainRun);
            }
        }

        var baseline = Best(scenario, "OTLP/HTTP protobuf (OpenTelemetry)", otlp, null);
        var ours = Best(scenario, "Panopticon gzip JSON (default)", panopticon, baseline);
        return plainClient is null ? [baseline, ours] : [baseline, ours, Best(scenario, "Panopticon JSON, no compression", uncompressed, baseline)];
    }

    private ScenarioResult Best(string scenario, string name, List<(double Seconds, double BytesPerRecord, double CpuMicroseconds)> runs, ScenarioResult? baseline)
    {
        var best = runs.MinBy(r => r.Seconds);
        var perSecond = records / best.Seconds;
        var result = new ScenarioResult(scenario, name, perSecond, "records/s", best.BytesPerRecord, "bytes/record", baseline?.Value);
        Console.WriteLine($"  {name,-36} {perSecond,12:N0} records/s  {best.BytesPerRecord,8:N1} bytes/record"
            + (baseline is null ? "  (baseline)" : $"  ratio {perSecond / baseline.Value:N2}x"));

        // Every round too: on a shared machine one lucky or unlucky round can decide "best of".
        var rates = runs.Select(r => records / r.Seconds).Order().ToList();
        Console.WriteLine($"  {string.Empty,-36} rounds: {string.Join(", ", runs.Select(r => (records / r.Seconds).ToString("N0", CultureInfo.InvariantCulture)))}; median {(rates[(rates.Count - 1) / 2] + rates[rates.Count / 2]) / 2:N0}");
        Console.WriteLine($"  {string.Empty,-36} CPU µs/record (process): {string.Join(", ", runs.Select(r => r.CpuMicroseconds.ToString("N2", CultureInfo.InvariantCulture)))}");
        return result;
    }

    private static PanopticonClient CreateClient(LoopbackSink sink, int queueSize, PanopticonCompression compression) => new(new PanopticonOptions
    {
        ApiKey = "benchmark",
        Endpoint = sink.BaseUrl,
        ServiceName = "benchmark",
        BatchSize = BatchSize,
        MaxQueueSize = queueSize,
        Compression = compression,
    });

    private static BatchActivityExportProcessor CreateOtlp(LoopbackSink sink, int queueSize)
    {
        var options = new OtlpExporterOptions
        {
            Endpoint = new Uri(sink.BaseUrl + "/v1/traces"),
            Protocol = OtlpExportProtocol.HttpProtobuf,
        };
        return new BatchActivityExportProcessor(
            new OtlpTraceExporter(options),
            maxQueueSize: queueSize,
            scheduledDelayMilliseconds: 5_000,
            exporterTimeoutMilliseconds: 30_000,
            maxExportBatchSize: BatchSize);
    }

    private static async Task<(double, double, double)> RunPanopticonAsync(PanopticonClient client, LoopbackSink sink, Activity[] spans)
    {
        var sentBefore = client.Statistics.Sent;
        sink.Reset();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        foreach (var span in spans)
        {
            client.TryWriteSpan(span);
        }

        var result = await client.FlushAsync();
        watch.Stop();
        var sent = client.Statistics.Sent - sentBefore; // FlushResult counts only what the flush itself waited for
        Check(result.Completed && sent == spans.Length, $"Panopticon sent {sent} of {spans.Length}");
        return (watch.Elapsed.TotalSeconds, (double)sink.Bytes / spans.Length, CpuPerRecord(cpu, spans.Length));
    }

    private static (double, double, double) RunOtlp(BatchActivityExportProcessor processor, LoopbackSink sink, Activity[] spans)
    {
        sink.Reset();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
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
        return (watch.Elapsed.TotalSeconds, (double)sink.Bytes / spans.Length, CpuPerRecord(cpu, spans.Length));
    }

    // CPU time of the whole process (both SDK sides and the sink) per record: what the work costs, apart from waiting.
    private static double CpuPerRecord(TimeSpan before, int records) =>
        (Process.GetCurrentProcess().TotalProcessorTime - before).TotalMicroseconds / records;

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException("Throughput run incomplete: " + message);
        }
    }
}
