using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Panopticon.Sdk.Engine;
using Panopticon.Sdk.Tests.Support;
using Panopticon.Sdk.Transport;

namespace Panopticon.Sdk.Tests;

/// <summary>Two batches of a signal on their way at once: flushes, retries, shutdown and counts stay exact.</summary>
public sealed class SenderLoopTests
{
    private readonly FakeTimeProvider _time = new(Records.Noon);

    [Fact]
    public async Task Two_batches_are_in_flight_at_once_a_third_waits_in_the_queue_and_a_flush_waits_for_all()
    {
        var gates = new Dictionary<string, TaskCompletionSource<TransportResponse>>();
        for (var i = 0; i < 3; i++)
        {
            gates[$"{i}"] = new TaskCompletionSource<TransportResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        var transport = new ScriptedTransport((request, _) => gates[MessagesOf(request).Single()].Task);
        await using var client = PanopticonClient.Create(o => { o.ApiKey = "k"; o.BatchSize = 1; }, transport, _time);

        // One at a time, so each is its own batch (records queued together would share the next batch).
        for (var i = 0; i < 3; i++)
        {
            client.TryWriteLog(Records.Log($"{i}"));
            await Wait.UntilAsync(() => transport.Calls == Math.Min(i + 1, 2) && client.Statistics.Accepted == i + 1, what: $"record {i} to be taken");
        }

        var flush = client.FlushAsync();
        Assert.Equal(2, transport.Calls);
        await Wait.StaysFalseAsync(() => transport.Calls > 2, "a third batch must wait until a batch in flight ends");
        Assert.Equal(3, client.BufferSize);

        gates["1"].SetResult(new TransportResponse(202)); // the second batch is acknowledged first
        await Wait.UntilAsync(() => transport.Calls == 3, what: "the third batch to go once one in flight ended");
        gates["2"].SetResult(new TransportResponse(202));
        await Wait.UntilAsync(() => client.Statistics.Sent == 2, what: "two batches acknowledged");
        Assert.False(flush.IsCompleted, "the flush must wait for the first batch, still in flight");

        gates["0"].SetResult(new TransportResponse(202));
        var result = await flush.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(new FlushResult(true, 3, 0, 0), result);
        Assert.Equal(0, client.BufferSize);
    }

    [Fact]
    public async Task A_batch_waiting_for_its_own_retry_does_not_hold_back_the_next_one()
    {
        // The Producer accepts batches (the first one shows it), so a 503 for one batch is that batch's own failure:
        // it waits for its retry while the others go on. (Failing with nothing accepted would hold every batch.)
        var slowAttempts = 0;
        var transport = new ScriptedTransport((request, _) => Task.FromResult(
            MessagesOf(request).Single() == "slow" && Interlocked.Increment(ref slowAttempts) == 1
                ? new TransportResponse(503, TimeSpan.FromSeconds(10))
                : new TransportResponse(202)));
        await using var client = PanopticonClient.Create(o => { o.ApiKey = "k"; o.BatchSize = 1; }, transport, _time);
        client.TryWriteLog(Records.Log("first"));
        await Wait.UntilAsync(() => client.Statistics.Sent == 1, what: "the first batch to be accepted");

        client.TryWriteLog(Records.Log("slow")); // a full batch: it goes out without a flush
        await Wait.UntilAsync(() => client.Statistics.Retried == 1, what: "the 503 to be answered with a scheduled retry");
        client.TryWriteLog(Records.Log("fast"));

        // The clock stands still, so the slow batch waits for its retry while the next goes out and is acknowledged.
        await Wait.UntilAsync(() => client.Statistics.Sent == 2, what: "the next batch to be delivered meanwhile");
        Assert.Equal(1, client.BufferSize);
        var flush = client.FlushAsync();

        await Wait.UntilAsync(
            () =>
            {
                _time.Advance(TimeSpan.FromSeconds(1)); // step on: the retry timer is already set, but not lost if it was not
                return flush.IsCompleted;
            },
            what: "the retry of the slow batch");
        var result = await flush;

        Assert.True(result.Succeeded);
        Assert.Equal(3, client.Statistics.Sent);
        Assert.Equal(0, client.BufferSize);
        Assert.Equal(4, transport.Calls);
    }

    [Fact]
    public async Task Shutdown_with_two_batches_hanging_drops_and_counts_every_record_once()
    {
        // Batches 0-1 and 2-3 hang in flight; record 4 waits (serialized, or still queued) behind them.
        var transport = new ScriptedTransport(async (_, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return new TransportResponse(202);
        });
        var client = PanopticonClient.Create(o => { o.ApiKey = "k"; o.BatchSize = 2; o.ShutdownTimeout = TimeSpan.FromMilliseconds(300); }, transport, _time);

        for (var i = 0; i < 5; i++)
        {
            client.TryWriteLog(Records.Log($"{i}"));
            if (i % 2 == 1)
            {
                await Wait.UntilAsync(() => transport.Calls == (i + 1) / 2, what: "the batch to be in flight");
            }
        }

        await client.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        var statistics = client.Statistics;
        Assert.Equal(5, statistics.DroppedByReason["shutdown"]); // 2 × 2 in flight, 1 waiting
        Assert.Equal(0, statistics.Sent + statistics.Failed);
        Assert.Equal(0, client.BufferSize);
    }

    [Fact]
    public async Task Many_pooled_spans_sent_two_batches_at_a_time_each_arrive_exactly_once()
    {
        var names = new List<string>();
        var transport = new ScriptedTransport(async (request, _) =>
        {
            await Task.Yield(); // lets the sends and the batch loop interleave
            using var document = JsonDocument.Parse(request.Json);
            lock (names)
            {
                names.AddRange(document.RootElement.EnumerateArray().Select(span => span.GetProperty("name").GetString()!));
            }

            return new TransportResponse(202);
        });
        await using var client = PanopticonClient.Create(o => { o.ApiKey = "k"; o.BatchSize = 7; }, transport, _time);
        var spans = Enumerable.Range(0, 2_000).Select(i => Records.EndedSpan($"span {i}")).ToList();

        foreach (var span in spans)
        {
            client.TryWriteSpan(span); // copied into a pooled record, released once its batch is serialized
        }

        var result = await client.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(result.Succeeded);
        var statistics = client.Statistics; // the flush result counts only the part the flush itself waited for
        Assert.Equal((2_000, 0, 0), (statistics.Sent, statistics.Failed, statistics.Dropped));
        Assert.Equal(Enumerable.Range(0, 2_000).Select(i => $"span {i}").Order(), names.Order());
        Assert.InRange(transport.Calls, 1, (2_000 + 6) / 7); // records queued while a batch is in flight share the next one
    }

    private static List<string> MessagesOf(ExportRequest request)
    {
        using var document = JsonDocument.Parse(request.Json);
        return document.RootElement.EnumerateArray().Select(r => r.GetProperty("message").GetString()!).ToList();
    }
}
