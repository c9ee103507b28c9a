using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Panopticon.Sdk.Engine;
using Panopticon.Sdk.Integration.Tests.Support;
using Panopticon.Sdk.Testing;
using Panopticon.Sdk.Tests.Support;

namespace Panopticon.Sdk.Integration.Tests.Sampling;

/// <summary>Traces held while not sampled, in a client without DI: bounded in traces and records, every record released once.</summary>
public sealed class PendingTraceTests
{
    private const int StepsPerTrace = 10; // each step: one span and one log line, so 20 held records per trace

    [Fact]
    public async Task A_flood_of_long_traces_holds_at_most_MaxPendingTraces_evicts_the_oldest_and_counts_them()
    {
        await using var held = new HeldTraces(o => o.MaxPendingTraces = 20);
        var (sink, client, logger, spanPool, logPool) = held;

        // 200 long traces, each still running (its root not ended) when the next starts.
        var roots = new List<Activity>();
        for (var i = 0; i < 200; i++)
        {
            roots.Add(StartTrace(logger));
            Assert.InRange(client.Sampling!.PendingCount, 1, 20);
            Assert.InRange(client.Sampling.PendingRecords, 1, 20 * 2 * StepsPerTrace);
        }

        var flooded = client.Statistics;
        Assert.Equal(200, flooded.TracesNotSampled);
        Assert.Equal(180, flooded.TracesEvicted);
        Assert.Equal(180 * 2 * StepsPerTrace, flooded.DroppedByReason[PanopticonStatistics.SamplingEvicted]);
        Assert.Equal(20 * 2 * StepsPerTrace, (spanPool.Rented - spanPool.Returned) + (logPool.Rented - logPool.Returned)); // only the held ones are out

        // The roots end, newest last; the newest failed: it alone is sent, whole.
        PanopticonTrace.MarkFailed(roots[^1], new InvalidOperationException("import failed"));
        roots.ForEach(root => root.Stop());
        await client.FlushAsync();

        var failedTrace = roots[^1].TraceId.ToHexString();
        Assert.Equal(StepsPerTrace + 1, sink.Spans.Count);
        Assert.All(sink.Spans, s => Assert.Equal(failedTrace, s.Str("trace_id")));
        Assert.Equal(StepsPerTrace, sink.Logs.Count);
        Assert.All(sink.Logs, l => Assert.Equal(failedTrace, l.Str("trace_id")));

        var statistics = client.Statistics;
        Assert.Equal(1, statistics.TracesKeptForErrors);
        Assert.Equal(19 * ((2 * StepsPerTrace) + 1), statistics.DroppedByReason[PanopticonStatistics.SampledOut]);
        Assert.Equal(180 * ((2 * StepsPerTrace) + 1), statistics.DroppedByReason[PanopticonStatistics.SamplingEvicted]); // their roots ended late
        Assert.Equal(0, client.Sampling!.PendingCount);
        Assert.Equal(0, client.Sampling.PendingRecords);
        AllReturnedOnce(spanPool);
        AllReturnedOnce(logPool);
    }

    [Fact]
    public async Task A_trace_longer_than_MaxQueueSize_is_evicted_and_memory_stays_bounded()
    {
        await using var held = new HeldTraces(o => o.MaxQueueSize = 100);
        var (sink, client, logger, spanPool, logPool) = held;

        var root = PanopticonTrace.StartSpan("endless import")!;
        for (var i = 0; i < 1_000; i++)
        {
            logger.LogInformation("Row {Row}", i);
            Assert.InRange(client.Sampling!.PendingRecords, 0, 100);
        }

        Assert.InRange((logPool.Rented - logPool.Returned) + (spanPool.Rented - spanPool.Returned), 0, 100);
        Assert.Equal(1, client.Statistics.TracesEvicted);
        root.Stop();
        Activity.Current = null;
        await client.FlushAsync();

        Assert.Empty(sink.Logs);
        Assert.Empty(sink.Spans);
        Assert.Equal(1_001, client.Statistics.DroppedByReason[PanopticonStatistics.SamplingEvicted]); // the rows and the root
        AllReturnedOnce(spanPool);
        AllReturnedOnce(logPool);
    }

    [Fact]
    public async Task With_AlwaysSendWarningLogs_the_warnings_of_a_trace_left_out_are_sent_at_once_and_the_rest_follows_the_trace()
    {
        await using var held = new HeldTraces(o => o.AlwaysSendWarningLogs = true);
        var (sink, client, logger, _, _) = held;

        var root = PanopticonTrace.StartSpan("import")!;
        Assert.False(PanopticonTrace.IsSampled);
        logger.LogInformation("Reading {File}", "orders.csv");
        logger.LogWarning("Slow disk");
        await client.FlushAsync();
        Assert.Equal("Slow disk", Assert.Single(sink.Logs).Str("message")); // before its trace ended

        root.Stop();
        await client.FlushAsync();
        Assert.Single(sink.Logs);
        Assert.Empty(sink.Spans);
        Assert.Equal(2, client.Statistics.DroppedByReason[PanopticonStatistics.SampledOut]); // the info line and the root span
    }

    private static Activity StartTrace(ILogger logger)
    {
        Activity.Current = null; // a new trace, not a child of the last one
        var root = PanopticonTrace.StartSpan("import")!;
        for (var step = 0; step < StepsPerTrace; step++)
        {
            using (PanopticonTrace.StartSpan("step"))
            {
                logger.LogInformation("Step {Step}", step);
            }
        }

        Activity.Current = null;
        return root;
    }

    /// <summary>A client without DI at ratio 0 (every trace held) on an in-memory sink, its logger and its watched record pools.</summary>
    private sealed class HeldTraces : IAsyncDisposable
    {
        private readonly ILoggerFactory _logging;

        public HeldTraces(Action<PanopticonOptions> configure)
        {
            Client = Sink.CreateClient(o =>
            {
                o.TracesSampleRatio = 0;
                configure(o);
            });
            Client.SpanRecordPool.Observer = SpanPool;
            Client.LogRecordPool.Observer = LogPool;
            _logging = Client.CreateLoggerFactory();
            Logger = _logging.CreateLogger("Import");
        }

        public InMemoryPanopticonSink Sink { get; } = new();

        public PanopticonClient Client { get; }

        public ILogger Logger { get; }

        public PoolWatch<SpanRecord> SpanPool { get; } = new();

        public PoolWatch<LogRecord> LogPool { get; } = new();

        public void Deconstruct(out InMemoryPanopticonSink sink, out PanopticonClient client, out ILogger logger, out PoolWatch<SpanRecord> spanPool, out PoolWatch<LogRecord> logPool) =>
            (sink, client, logger, spanPool, logPool) = (Sink, Client, Logger, SpanPool, LogPool);

        public async ValueTask DisposeAsync()
        {
            _logging.Dispose();
            await Client.DisposeAsync();
        }
    }

    private static void AllReturnedOnce<T>(PoolWatch<T> pool)
        where T : class
    {
        Assert.Equal(pool.Rented, pool.Returned);
        Assert.Equal(0, pool.DoubleReturns);
        Assert.Equal(0, pool.DoubleRents);
    }
}
