using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Panopticon.Sdk.Tests.Support;
using Panopticon.Sdk.Transport;
using Xunit.Abstractions;

namespace Panopticon.Sdk.Tests;

/// <summary>While the Producer is down or failing everything, batches are held, not spent: the only loss is by capacity.</summary>
public sealed class OutageTests(ITestOutputHelper output)
{
    private readonly FakeTimeProvider _time = new(Records.Noon);

    [Fact]
    public async Task A_60_second_outage_holds_5000_records_and_delivers_each_exactly_once_after_recovery()
    {
        var producer = new SwitchableProducer();
        await using var client = PanopticonClient.Create(o => o.ApiKey = "k", producer.Transport, _time);

        for (var i = 0; i < 5_000; i++)
        {
            client.TryWriteLog(Records.Log($"{i}"));
        }

        await WalkAsync(TimeSpan.FromSeconds(60), () => false);

        Assert.True(producer.Attempts > 2, "the held batches must be probed during the outage");
        Assert.Equal(0, client.Statistics.Sent);
        Assert.Equal(0, client.Statistics.Failed);
        Assert.Equal(0, client.Statistics.Dropped);
        Assert.Equal(5_000, client.BufferSize);
        Assert.Equal(PanopticonFailureKind.ProducerUnreachable, client.Statistics.LastFailureKind);

        producer.Up = true;
        var flush = client.FlushAsync();
        await WalkAsync(TimeSpan.FromMinutes(2), () => flush.IsCompleted);
        var result = await flush;

        Assert.True(result.Succeeded, result.ToString());
        output.WriteLine($"60 s outage, 5 000 written: {producer.Delivered.Count} delivered ({producer.Delivered.Distinct().Count()} distinct), {client.Statistics}");
        Assert.Equal(Enumerable.Range(0, 5_000).Select(i => $"{i}").Order(), producer.Delivered.Order());
        Assert.Equal(5_000, client.Statistics.Sent);
        Assert.Equal(0, client.Statistics.Failed + client.Statistics.Dropped);
    }

    [Fact]
    public async Task An_outage_longer_than_the_queue_drops_exactly_the_excess_oldest_first_counted_as_queue_full()
    {
        var producer = new SwitchableProducer(downStatus: 503);
        await using var client = PanopticonClient.Create(o => { o.ApiKey = "k"; o.MaxQueueSize = 2_000; }, producer.Transport, _time);

        for (var i = 0; i < 10_000; i++)
        {
            client.TryWriteLog(Records.Log($"{i}"));
        }

        await WalkAsync(TimeSpan.FromSeconds(30), () => false);
        producer.Up = true;
        var flush = client.FlushAsync();
        await WalkAsync(TimeSpan.FromMinutes(2), () => flush.IsCompleted);
        await flush;

        // Held: the queue's 2 000 plus a batch in each export lane; the rest was evicted, oldest first, and counted.
        var delivered = producer.Delivered.Where(m => !m.StartsWith("Panopticon SDK dropped", StringComparison.Ordinal)).ToList();
        Assert.Contains(producer.Delivered, m => m.StartsWith("Panopticon SDK dropped", StringComparison.Ordinal)); // the in-dashboard report still goes out
        var dropped = client.Statistics.DroppedByReason["queue_full"];
        output.WriteLine($"10 000 written into MaxQueueSize 2 000: {delivered.Count} delivered, {dropped} dropped as queue_full, {client.Statistics}");
        Assert.Equal(10_000, delivered.Count + dropped);
        Assert.InRange(delivered.Count, 2_000, 2_200);
        Assert.Equal(delivered.Count, delivered.Distinct().Count());
        Assert.Subset(delivered.ToHashSet(), Enumerable.Range(8_000, 2_000).Select(i => $"{i}").ToHashSet());
        Assert.Equal(producer.Delivered.Count, client.Statistics.Sent);
        Assert.Equal(dropped, client.Statistics.Dropped);
        Assert.Equal(0, client.Statistics.Failed);
        Assert.Equal(0, client.BufferSize);
    }

    [Fact]
    public async Task While_held_one_batch_probes_no_sooner_than_Retry_After()
    {
        var producer = new SwitchableProducer(downStatus: 503, retryAfter: TimeSpan.FromSeconds(60));
        await using var client = PanopticonClient.Create(o => o.ApiKey = "k", producer.Transport, _time);
        for (var i = 0; i < 5; i++)
        {
            client.TryWriteLog(Records.Log($"{i}"));
        }

        var flush = client.FlushAsync(); // one batch, held
        await Wait.UntilAsync(() => producer.Attempts >= 1, what: "the first attempt");
        await WalkAsync(TimeSpan.FromSeconds(59), () => false);
        Assert.Equal(1, producer.Attempts); // without Retry-After it would have probed at 1, 2, 4, 8, 16 and 30 s

        producer.Up = true;
        await WalkAsync(TimeSpan.FromSeconds(10), () => flush.IsCompleted);
        var result = await flush;

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(5, producer.Delivered.Count);
    }

    [Fact]
    public async Task A_flush_while_held_waits_for_its_token_and_reports_it_did_not_complete()
    {
        var producer = new SwitchableProducer();
        await using var client = PanopticonClient.Create(o => o.ApiKey = "k", producer.Transport, _time);
        client.TryWriteLog(Records.Log());

        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var result = await client.FlushAsync(timeout.Token);

        Assert.False(result.Completed);
        Assert.Equal(0, result.Failed + result.Dropped);
        Assert.Equal(1, client.BufferSize);
    }

    // Steps the fake clock through the probe intervals, giving the export loops a turn after each step.
    private async Task WalkAsync(TimeSpan total, Func<bool> done)
    {
        for (var walked = TimeSpan.Zero; walked < total && !done(); walked += TimeSpan.FromSeconds(1))
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5);
        }
    }

    /// <summary>A Producer that refuses connections (or answers <c>downStatus</c>) until it is switched up.</summary>
    private sealed class SwitchableProducer
    {
        private readonly ConcurrentQueue<string> _delivered = new();
        private int _attempts;

        public SwitchableProducer(int? downStatus = null, TimeSpan? retryAfter = null)
        {
            Transport = new ScriptedTransport((request, _) =>
            {
                if (!Up)
                {
                    Interlocked.Increment(ref _attempts);
                    return downStatus is { } status
                        ? Task.FromResult(new TransportResponse(status, retryAfter))
                        : Task.FromException<TransportResponse>(new HttpRequestException("Connection refused (127.0.0.1:9)"));
                }

                using var document = JsonDocument.Parse(request.Json);
                foreach (var record in document.RootElement.EnumerateArray())
                {
                    _delivered.Enqueue(record.GetProperty("message").GetString()!);
                }

                return Task.FromResult(new TransportResponse(202));
            });
        }

        public ScriptedTransport Transport { get; }

        public volatile bool Up;

        public int Attempts => Volatile.Read(ref _attempts);

        public IReadOnlyList<string> Delivered => [.. _delivered];
    }
}
