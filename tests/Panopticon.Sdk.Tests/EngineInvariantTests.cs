using System.Text;
using Microsoft.Extensions.Time.Testing;
using Panopticon.Sdk.Engine;
using Panopticon.Sdk.Tests.Support;
using Panopticon.Sdk.Transport;

namespace Panopticon.Sdk.Tests;

/// <summary>
/// The engine's bookkeeping under load and races: every accepted record ends as exactly one of sent, failed or
/// dropped; flushes report what the Producer accepted; every pooled record goes back to its pool exactly once.
/// </summary>
public sealed class EngineInvariantTests
{
    private const int Writers = 4;
    private const int PerWriter = 5_000;
    private const int QueueSize = 256;
    private const int BatchSize = 64;

    private readonly FakeTimeProvider _time = new(Records.Noon);

    [Theory]
    [InlineData(PanopticonOverflowPolicy.DropOldest)]
    [InlineData(PanopticonOverflowPolicy.DropNewest)]
    public async Task Buffered_records_equal_accepted_minus_sent_failed_dropped_under_concurrent_writers_flushes_and_a_stop(PanopticonOverflowPolicy policy)
    {
        var producer = new CountingProducer();
        var client = PanopticonClient.Create(
            o =>
            {
                o.ApiKey = "k";
                o.BatchSize = BatchSize;
                o.MaxQueueSize = QueueSize;
                o.OverflowPolicy = policy;
                o.MaxRetryAttempts = 2;
                o.ShutdownTimeout = TimeSpan.FromSeconds(20);
            },
            producer,
            _time);

        // Fake time keeps moving so retry delays, the circuit's probes and FlushInterval come due.
        using var stopClock = new CancellationTokenSource();
        var clock = Task.Run(async () =>
        {
            while (!stopClock.IsCancellationRequested)
            {
                _time.Advance(TimeSpan.FromSeconds(1));
                await Task.Delay(1);
            }
        });

        // Writers write logs and spans and flush now and then; the client stops while they are still writing.
        var flushes = new List<FlushResult>();
        var stopNow = new CountdownEvent(Writers);
        var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 1; i <= PerWriter; i++)
            {
                if (i % 5 == 0)
                {
                    client.TryWriteSpan(Records.EndedSpan());
                }
                else
                {
                    var record = client.RentLogRecord();
                    record.Message = "m";
                    record.Category = "Stress";
                    record.Timestamp = Records.Noon;
                    client.TryWriteLog(record);
                }

                if (i % 1_000 == 0 && i < PerWriter * 3 / 4)
                {
                    var flushed = await client.FlushAsync();
                    lock (flushes)
                    {
                        flushes.Add(flushed);
                    }
                }

                if (i == PerWriter * 3 / 4)
                {
                    stopNow.Signal();
                    await resume.Task; // the last quarter is written while the client stops
                }
            }
        })).ToArray();

        // Observations meanwhile: the buffer is never negative nor more than the engine may hold (per signal: the
        // queue, the batch being read and one batch per sender, each batch at most a queue's worth once the senders
        // fall behind), and the totals never shrink.
        var observations = 0;
        var previous = client.Statistics;
        Task? stop = null;
        while (!writers.All(w => w.IsCompleted))
        {
            Assert.InRange(client.BufferSize, 0, 2 * (QueueSize + 3 * QueueSize));
            var now = client.Statistics;
            Assert.True(now.Accepted >= previous.Accepted && now.Sent >= previous.Sent && now.Failed >= previous.Failed && now.Dropped >= previous.Dropped, $"totals shrank: {previous} then {now}");
            previous = now;
            observations++;
            if (stop is null && stopNow.IsSet)
            {
                resume.SetResult();
                stop = client.DisposeAsync().AsTask();
            }

            await Task.Delay(1);
        }

        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(30));
        await (stop ?? client.DisposeAsync().AsTask()).WaitAsync(TimeSpan.FromSeconds(30));
        await stopClock.CancelAsync();
        await clock;

        var end = client.Statistics;
        Assert.All(flushes, result => Assert.True(result.Completed));
        Assert.NotEmpty(flushes);
        Assert.Equal(0, client.BufferSize);
        Assert.Equal(end.Accepted, end.Sent + end.Failed + end.Dropped);
        Assert.True(end.Accepted >= Writers * PerWriter, $"accepted {end.Accepted} of {Writers * PerWriter} written");
        Assert.Equal(producer.AcceptedRecords, end.Sent); // sent is what the Producer accepted, no more, no less
        Assert.True(end.DroppedByReason["queue_full"] > 0, "the small queue overflowed");
        Assert.True(end.DroppedByReason["too_large"] > 0, "some single records were refused with 413");
        Assert.True(end.Retried > 0, "some requests were retried after a 503");
        Assert.True(observations > 0);
        Assert.True(stop is not null, "the client stopped while the writers wrote");
    }

    [Fact]
    public async Task A_flush_issued_during_a_413_split_completes_with_what_the_Producer_accepted()
    {
        var firstAnswer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var accepted = 0;
        var transport = new ScriptedTransport(async (request, _) =>
        {
            await firstAnswer.Task;
            if (request.RecordCount > 3 || Contains(request, "\"refused\""))
            {
                return new TransportResponse(413); // the body limit fits three records; one record is refused alone
            }

            Interlocked.Add(ref accepted, request.RecordCount);
            return new TransportResponse(202);
        });
        await using var client = PanopticonClient.Create(o => { o.ApiKey = "k"; o.BatchSize = 10; }, transport, _time);
        for (var i = 0; i < 10; i++)
        {
            client.TryWriteLog(Records.Log(i == 7 ? "refused" : $"{i}"));
        }

        await Wait.UntilAsync(() => transport.Calls == 1, what: "the batch of ten in flight");
        var flush = client.FlushAsync();
        Assert.False(flush.IsCompleted);
        firstAnswer.SetResult();
        var result = await flush.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(result.Completed);
        Assert.Equal(1, result.Dropped);                       // the record refused alone
        Assert.Equal(0, result.Failed);
        Assert.Equal(Volatile.Read(ref accepted), result.Sent); // the nine others (and the drop report) as accepted
        Assert.True(result.Sent >= 9);
        Assert.True(transport.Calls > 2, "the batch was split");
        Assert.Equal(0, client.BufferSize);
    }

    [Theory]
    [InlineData(false)] // nothing accepted yet: an outage, the batch is held by the circuit until a probe succeeds
    [InlineData(true)]  // another batch was accepted: the failure is the batch's own, retried after a backoff
    public async Task A_flush_issued_during_a_retry_completes_with_what_the_Producer_accepted(bool anotherBatchAcceptedFirst)
    {
        var firstAnswer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var accepted = 0;
        var failedOnce = 0;
        var transport = new ScriptedTransport(async (request, _) =>
        {
            if (Contains(request, "\"held\"") && Interlocked.Exchange(ref failedOnce, 1) == 0)
            {
                await firstAnswer.Task;
                return new TransportResponse(503);
            }

            Interlocked.Add(ref accepted, request.RecordCount);
            return new TransportResponse(202);
        });
        await using var client = PanopticonClient.Create(o => { o.ApiKey = "k"; o.BatchSize = 5; }, transport, _time);
        if (anotherBatchAcceptedFirst)
        {
            client.TryWriteLog(Records.Log("first"));
            Assert.Equal(new FlushResult(true, 1, 0, 0), await client.FlushAsync());
        }

        var before = Volatile.Read(ref accepted);
        for (var i = 0; i < 5; i++)
        {
            client.TryWriteLog(Records.Log("held"));
        }

        await Wait.UntilAsync(() => transport.Calls == (anotherBatchAcceptedFirst ? 2 : 1), what: "the batch in flight");
        var flush = client.FlushAsync();
        var callsBefore = transport.Calls;
        firstAnswer.SetResult();
        await Wait.UntilAsync(() => client.Statistics.Retried == 1, what: "the 503 to be seen");

        // The retry (or the circuit's probe) is due after at most 2 s of fake time; the flush waits for it.
        Assert.False(flush.IsCompleted);
        await Wait.UntilAsync(
            () =>
            {
                if (transport.Calls > callsBefore)
                {
                    return true;
                }

                _time.Advance(TimeSpan.FromMilliseconds(100));
                return false;
            },
            what: "the batch to be sent again");
        var result = await flush.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(new FlushResult(true, 5, 0, 0), result);
        Assert.Equal(5, Volatile.Read(ref accepted) - before);
        Assert.Equal(0, client.BufferSize);
    }

    [Fact]
    public async Task Every_pooled_record_is_returned_exactly_once_on_every_path()
    {
        var refuse = 0; // 1: answer every request 413 (split down to single records, each dropped), 2: answer 400
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        var transport = new ScriptedTransport(async (request, cancellationToken) =>
        {
            await Volatile.Read(ref gate).Task.WaitAsync(cancellationToken);
            return Volatile.Read(ref refuse) switch
            {
                1 => new TransportResponse(413),
                2 => new TransportResponse(400),
                _ => new TransportResponse(202),
            };
        });
        PanopticonClient? stats = null;
        var logs = new PoolWatch<LogRecord>();
        var spans = new PoolWatch<SpanRecord>();

        await using (var client = PanopticonClient.Create(o => { o.ApiKey = "k"; o.BatchSize = 10; o.MaxQueueSize = 10; o.OverflowPolicy = PanopticonOverflowPolicy.DropOldest; o.ShutdownTimeout = TimeSpan.FromMilliseconds(300); }, transport, _time))
        {
            client.LogRecordPool.Observer = logs;
            client.SpanRecordPool.Observer = spans;

            void Write(int count, bool logsOnly = false, bool spansOnly = false)
            {
                for (var i = 0; i < count; i++)
                {
                    if (!spansOnly)
                    {
                        var record = client.RentLogRecord();
                        record.Message = "m";
                        record.Category = "Pool";
                        record.Timestamp = Records.Noon;
                        client.TryWriteLog(record);
                    }

                    if (!logsOnly)
                    {
                        client.TryWriteSpan(Records.EndedSpan());
                    }
                }
            }

            // Normal export.
            Write(25);
            await client.FlushAsync();

            // 413: split, then single records refused alone.
            Volatile.Write(ref refuse, 1);
            Write(10);
            await client.FlushAsync();
            Assert.True(client.Statistics.DroppedByReason["too_large"] > 0);

            // Rejected (400).
            Volatile.Write(ref refuse, 2);
            Write(10);
            await client.FlushAsync();
            Assert.True(client.Statistics.Failed > 0);
            Volatile.Write(ref refuse, 0);

            // Overflow with DropOldest: both lanes held, the queue of ten overflows.
            Volatile.Write(ref gate, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            Write(60);
            Assert.True(client.Statistics.DroppedByReason["queue_full"] > 0);
            Volatile.Read(ref gate).SetResult();
            await client.FlushAsync();

            // Shutdown drop: both senders of each signal held past the shutdown budget with more behind them (in the
            // store, the batch loop and the queue); the sends are cancelled and everything held is dropped at the end.
            Volatile.Write(ref gate, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            foreach (var span in new[] { false, true })
            {
                var calls = transport.Calls;
                Write(10, logsOnly: !span, spansOnly: span);
                await Wait.UntilAsync(() => transport.Calls > calls, what: "a batch held");
                if (transport.Calls < calls + 2)
                {
                    Write(10, logsOnly: !span, spansOnly: span); // ten records went as one batch: a second one
                }

                await Wait.UntilAsync(() => transport.Calls >= calls + 2, what: "both senders held");
                Write(10, logsOnly: !span, spansOnly: span);
            }

            stats = client;
        }

        var end = stats.Statistics;
        Assert.True(end.DroppedByReason["shutdown"] >= 2 * 20, end.ToString());
        Assert.Equal(end.Accepted, end.Sent + end.Failed + end.Dropped);
        Volatile.Read(ref gate).SetResult();
        Assert.True(logs.Rented > 100 && spans.Rented > 100);
        Assert.Equal((0L, 0L), (logs.DoubleReturns, logs.DoubleRents));
        Assert.Equal((0L, 0L), (spans.DoubleReturns, spans.DoubleRents));
        Assert.Equal(logs.Rented, logs.Returned);
        Assert.Equal(spans.Rented, spans.Returned);
    }

    private static bool Contains(ExportRequest request, string text) => Encoding.UTF8.GetString(request.Json.Span).Contains(text, StringComparison.Ordinal);

    /// <summary>
    /// A Producer that answers most requests 202, some 503 (retried) and some 413 (split; a single record is dropped),
    /// and counts the records it accepted.
    /// </summary>
    private sealed class CountingProducer : ITelemetryTransport
    {
        private long _calls;
        private long _accepted;

        public long AcceptedRecords => Interlocked.Read(ref _accepted);

        public async ValueTask<TransportResponse> SendAsync(ExportRequest request, CancellationToken cancellationToken)
        {
            await Task.Yield();
            var call = Interlocked.Increment(ref _calls);
            if (call % 7 == 0)
            {
                return new TransportResponse(503);
            }

            if (call % 5 == 0 || (request.RecordCount == 1 && call % 3 == 0))
            {
                return new TransportResponse(413);
            }

            Interlocked.Add(ref _accepted, request.RecordCount);
            return new TransportResponse(202);
        }

        public void Dispose()
        {
        }
    }
}
